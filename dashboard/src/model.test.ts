import { describe, expect, it } from "vitest";
import type { BenchResult, Point } from "../../runners/result.ts";
import type { PublishedDataset } from "./data.ts";
import { figureRows, formatNumber, rpsSeries, scaling } from "./model.ts";

function point(
  role: Point["role"],
  workers: number,
  route: Point["route"],
  median: number,
  flags: Point["flags"] = [],
): Point {
  return {
    role,
    targetName: role === "target" ? "ref" : "bare",
    workers,
    route,
    path: "/",
    workerPids: [],
    startedPid: 1,
    runs: [],
    summary: {
      runs: 3,
      rps: { median, mean: median, ci95: { low: median - 10, high: median + 10 }, cv: 0.01 },
      latencyMs: { p50: 1, p90: 2, p99: 3, p999: 4, max: 5, count: 100 },
      latencyMerged: true,
      serverCores: workers * 0.9,
      loaderCores: 0.8,
      hostBusyCores: 1.7,
      peakRssPerWorkerBytes: 50 * 2 ** 20,
      failures: 0,
      connectionsOpen: 50,
    },
    flags,
    saturated: "none",
  };
}

const published: PublishedDataset = {
  name: "p",
  source: "s",
  hardware: "h",
  approximate: true,
  note: "n",
  points: [
    { workers: 1, root: 25000, json: 20000 },
    { workers: 2, root: 50000, json: 45000 },
  ],
};

const result = {
  points: [
    point("target", 2, "root", 1800, ["client-bound"]),
    point("target", 1, "root", 1000),
    point("baseline", 1, "root", 1050),
    point("target", 1, "json", 900),
  ],
} as unknown as BenchResult;

describe("rpsSeries", () => {
  it("orders the target's points by workers, with the ideal line and BustAPI's figures", () => {
    expect(rpsSeries(result, "root", published)).toEqual({
      route: "root",
      workers: [1, 2],
      median: [1000, 1800],
      ciLow: [990, 1790],
      ciHigh: [1010, 1810],
      ideal: [1000, 2000],
      flags: [[], ["client-bound"]],
      saturated: ["none", "none"],
      published: [
        { workers: 1, rps: 25000 },
        { workers: 2, rps: 50000 },
      ],
    });
  });
});

describe("scaling", () => {
  it("divides by the 1-worker figure", () => {
    expect(scaling(result, "root")).toEqual([
      { workers: 1, speedup: 1, efficiency: 1 },
      { workers: 2, speedup: 1.8, efficiency: 0.9 },
    ]);
  });
});

describe("figureRows", () => {
  it("has a row per point, baseline included, with RSS in MiB", () => {
    const rows = figureRows(result);
    expect(rows.map((r) => r.key)).toEqual([
      "target-2-root",
      "target-1-root",
      "baseline-1-root",
      "target-1-json",
    ]);
    expect(rows[0]).toMatchObject({ rpsMedian: 1800, flags: ["client-bound"], peakRssMiB: 50 });
  });
});

describe("formatNumber", () => {
  it("groups thousands and shows a dash for missing values", () => {
    expect(formatNumber(91808.4)).toBe("91,808");
    expect(formatNumber(1.234, 2)).toBe("1.23");
    expect(formatNumber(null)).toBe("–");
    expect(formatNumber(Number.NaN)).toBe("–");
  });
});
