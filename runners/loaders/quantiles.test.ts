import { describe, expect, it } from "vitest";
import { mergeDistributions, QUANTILE_GRID } from "./quantiles.ts";

/** The quantile function of a known distribution, as wrk would report it on the grid (µs). */
const quantilesOf = (valueAt: (p: number) => number) => QUANTILE_GRID.map(valueAt);

describe("mergeDistributions", () => {
  it("gives one host's own percentiles back", () => {
    const uniform = quantilesOf((p) => Math.round(p * 100)); // p% -> p x 100 µs
    const merged = mergeDistributions([{ count: 10_000, quantilesUs: uniform, maxUs: 10_000 }]);
    expect(merged).toMatchObject({ p50: 5, p90: 9, p99: 9.9, p999: 9.99, max: 10, count: 10_000 });
  });

  it("weighs hosts by their requests instead of averaging their percentiles", () => {
    // A fast host (1 ms for all) with 9,000 requests, a slow one (11 ms for all) with 1,000.
    const fast = { count: 9_000, quantilesUs: quantilesOf(() => 1_000), maxUs: 1_000 };
    const slow = { count: 1_000, quantilesUs: quantilesOf(() => 11_000), maxUs: 11_000 };
    const merged = mergeDistributions([fast, slow]);
    expect(merged.p50).toBe(1);
    expect(merged.p90).toBe(1);
    expect(merged.p99).toBe(11);
    expect(merged.max).toBe(11);
    expect(merged.count).toBe(10_000);
    // Averaged percentiles would have said p50 = 6 ms.
  });

  it("has a grid fine in the tail", () => {
    expect(QUANTILE_GRID).toContain(50);
    expect(QUANTILE_GRID).toContain(99.9);
    expect(QUANTILE_GRID.at(-1)).toBe(100);
    expect(QUANTILE_GRID).toHaveLength(388);
  });
});
