import { describe, expect, it } from "vitest";
import {
  coefficientOfVariation,
  confidenceInterval95,
  mean,
  median,
  stddev,
  tCritical,
  welch,
} from "./stats.ts";

describe("descriptive statistics", () => {
  it("computes mean, median and sample standard deviation", () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(stddev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138, 3);
    expect(coefficientOfVariation([90, 100, 110])).toBeCloseTo(0.1, 6);
  });

  it("says NaN rather than inventing a spread from one value", () => {
    expect(stddev([5])).toBeNaN();
    expect(coefficientOfVariation([5])).toBeNaN();
    expect(confidenceInterval95([5])).toBeUndefined();
    expect(median([])).toBeNaN();
  });
});

describe("confidenceInterval95", () => {
  it("uses Student's t for small samples", () => {
    // mean 100, s = 10, n = 3: half-width = 4.303 * 10 / sqrt(3) = 24.84
    const interval = confidenceInterval95([90, 100, 110]);
    expect(interval?.low).toBeCloseTo(75.16, 2);
    expect(interval?.high).toBeCloseTo(124.84, 2);
  });

  it("reads t from the table and interpolates", () => {
    expect(tCritical(1)).toBeCloseTo(12.706, 3);
    expect(tCritical(2.5)).toBeGreaterThan(3.182);
    expect(tCritical(2.5)).toBeLessThan(4.303);
    expect(tCritical(1000)).toBeCloseTo(1.962, 3);
    expect(tCritical(0.5)).toBeNaN();
  });
});

describe("welch", () => {
  it("finds a clear difference significant", () => {
    const result = welch([1000, 1010, 990], [800, 810, 790]);
    expect(result?.significant).toBe(true);
    expect(result?.t).toBeLessThan(0);
    expect(result?.df).toBeCloseTo(4, 6);
  });

  it("finds overlapping noise not significant", () => {
    expect(welch([1000, 1100, 900], [1020, 920, 1080])?.significant).toBe(false);
  });

  it("needs two runs a side", () => {
    expect(welch([1000], [900, 910])).toBeUndefined();
  });

  it("matches a value worked by hand", () => {
    // a: mean 20, s^2 10, n 5 (va 2); b: mean 23, s^2 22.5, n 5 (vb 4.5)
    // t = 3 / sqrt(6.5) = 1.17670; df = 6.5^2 / (2^2/4 + 4.5^2/4) = 6.9691
    const result = welch([16, 18, 20, 22, 24], [17, 20, 23, 26, 29]);
    expect(result?.t).toBeCloseTo(1.1767, 4);
    expect(result?.df).toBeCloseTo(6.9691, 4);
    expect(result?.significant).toBe(false);
  });
});
