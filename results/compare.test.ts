import { describe, expect, it } from "vitest";
import { renderComparison } from "../reports/console/compare.ts";
import type { BenchResult, Point } from "./bench.ts";
import { compareResults, hardwareDifference, runsToDetect } from "./compare.ts";

function point(workers: number, rps: number[], flags: Point["flags"] = []): Point {
  return {
    role: "target",
    targetName: "t",
    workers,
    route: "root",
    path: "/",
    workerPids: [],
    startedPid: 1,
    runs: rps.map((value) => ({ rps: value }) as Point["runs"][number]),
    summary: {} as Point["summary"],
    placement: null,
    flags,
    saturated: "none",
  };
}

const HOST = {
  cpuModel: "AMD EPYC 7B13",
  logicalCpus: 2,
  memoryGiB: 24,
  kernel: "6.1.0",
  governor: "performance",
  mitigations: { spectre_v2: "Mitigation: Retpolines" },
  node: "v24.21.0",
};

function result(points: Point[], host: Partial<typeof HOST> = {}): BenchResult {
  return {
    host: { ...HOST, ...host },
    loader: { name: "autocannon", version: "9.0.0", threads: 1, pipelining: 1 },
    options: { connections: 50, durationS: 6 },
    points,
  } as unknown as BenchResult;
}

describe("compareResults", () => {
  it("finds a significant drop beyond the threshold a regression", () => {
    const c = compareResults(result([point(1, [1000, 1010, 990])]), result([point(1, [800, 810, 790])]));
    expect(c.points[0]).toMatchObject({ change: "regression", oldMedian: 1000, newMedian: 800 });
    expect(c.points[0]?.delta).toBeCloseTo(-0.2, 6);
    expect(c.regressions).toBe(1);
  });

  it("does not call noise a regression", () => {
    const c = compareResults(result([point(1, [1000, 1100, 900])]), result([point(1, [980, 1080, 890])]));
    expect(c.points[0]?.change).toBe("no change");
  });

  it("does not call a significant but small change a regression", () => {
    const c = compareResults(result([point(1, [1000, 1001, 999])]), result([point(1, [980, 981, 979])]));
    expect(c.points[0]?.test?.significant).toBe(true);
    expect(c.points[0]?.change).toBe("no change");
  });

  it("is inconclusive with one run, and reports improvements", () => {
    expect(compareResults(result([point(1, [1000])]), result([point(1, [500])])).points[0]?.change).toBe(
      "inconclusive",
    );
    const up = compareResults(result([point(2, [1000, 1010, 990])]), result([point(2, [1300, 1310, 1290])]));
    expect(up.points[0]?.change).toBe("improvement");
  });

  it("refuses other hardware, and notes a different kernel or mitigation", () => {
    const c = compareResults(result([point(1, [1, 2])]), result([point(2, [1, 2])], { logicalCpus: 4 }));
    expect(c.sameHost).toBe(false);
    expect(c.notes).toContain("no point was measured in both runs");
    expect(hardwareDifference(result([]), result([], { memoryGiB: 32 }))).toBe("24 vs 32 GiB of memory");
    const kernel = compareResults(
      result([point(1, [1, 2])]),
      result([point(1, [1, 2])], { kernel: "6.8.0", mitigations: { spectre_v2: "Vulnerable" } }),
    );
    expect(kernel.sameHost).toBe(true);
    expect(kernel.notes).toEqual(
      expect.arrayContaining(["kernel differs: 6.1.0 -> 6.8.0", "CPU mitigations differ: spectre_v2"]),
    );
  });

  it("says how many runs a side detect the threshold, from the old runs' spread", () => {
    expect(runsToDetect(0.02, 0.05)).toBe(4);
    expect(runsToDetect(0.05, 0.05)).toBeGreaterThanOrEqual(17);
    const c = compareResults(result([point(1, [1000, 1100, 900])]), result([point(1, [1000, 1100, 900])]));
    expect(c.notes.at(-1)).toMatch(
      /^the old runs vary by 10\.0% \(median CV\): detecting a 5% change needs \d+ runs a side \(these have 3\)$/,
    );
  });

  it("renders an aligned table with the verdict", () => {
    const c = compareResults(
      result([point(1, [1000, 1010, 990], ["client-bound"])]),
      result([point(1, [800, 810, 790])]),
    );
    const text = renderComparison(c, "old.json", "new.json");
    expect(text).toContain("1w root    1,000      800  -20.0%");
    expect(text).toContain("regression  client-bound");
    expect(text).toContain("REGRESSION: 1 point(s) significantly slower by more than 5%");
  });
});
