import { describe, expect, it } from "vitest";
import { compareResults, renderComparison } from "./compare.ts";
import type { BenchResult, Point } from "./result.ts";

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

function result(points: Point[], fingerprint = "aaaaaaaaaaaa"): BenchResult {
  return {
    host: { fingerprint, node: "v24.21.0" },
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

  it("notes a different host and points measured on one side only", () => {
    const c = compareResults(
      result([point(1, [1, 2])], "aaaaaaaaaaaa"),
      result([point(2, [1, 2])], "bbbbbbbbbbbb"),
    );
    expect(c.sameHost).toBe(false);
    expect(c.notes).toContain("no point was measured in both runs");
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
