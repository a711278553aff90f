import { describe, expect, it } from "vitest";
import { studentTCdf, studentTQuantile } from "./student-t.ts";

describe("Student's t", () => {
  it.each([
    [1, 12.7062047],
    [2, 4.30265273],
    [4, 2.77644511],
    [10, 2.22813885],
    [30, 2.04227246],
    [120, 1.9799304],
    [1e6, 1.95996635],
  ])("t(0.975, %d) = %d", (df, expected) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(expected, 6);
  });

  it("handles the fractional degrees of freedom of Welch's test", () => {
    const between = studentTQuantile(0.975, 2.5);
    expect(between).toBeLessThan(4.30265273);
    expect(between).toBeGreaterThan(3.18244631);
    expect(studentTCdf(between, 2.5)).toBeCloseTo(0.975, 10);
  });

  it("has the CDF's symmetry", () => {
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(-1.5, 7) + studentTCdf(1.5, 7)).toBeCloseTo(1, 12);
    expect(studentTQuantile(0.4, 5)).toBeNaN();
  });
});
