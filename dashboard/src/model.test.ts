import { describe, expect, it } from "vitest";
import type { BenchResult, Point } from "../../results/bench.ts";
import type { ConformanceReport } from "../../results/conformance.ts";
import type { PublishedDataset } from "../../results/report-data.ts";
import { figureRows, formatNumber, headlines, history, overlayRuns, rpsSeries, scaling } from "./model.ts";

function point(
  role: Point["role"],
  workers: number,
  route: Point["route"],
  median: number,
  flags: Point["flags"] = [],
  runs: number[] = [median - 10, median, median + 10],
): Point {
  return {
    role,
    targetName: role === "target" ? "ref" : "bare",
    workers,
    route,
    path: "/",
    workerPids: [],
    startedPid: 1,
    runs: runs.map((rps) => ({ rps })) as unknown as Point["runs"],
    summary: {
      runs: runs.length,
      rps: { median, mean: median, ci95: { low: median - 40, high: median + 40 }, cv: 0.01 },
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
      spreadKind: "range",
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

function run(name: string, fingerprint: string, startedAt: string, points: Point[] = []): BenchResult {
  return {
    target: { name },
    host: { fingerprint },
    startedAt,
    points,
    goals: {
      overhead: [],
      scaling: [{ route: "root", met: false, ratio: 1.2, reason: "1.20x at 2 workers" }],
    },
  } as unknown as BenchResult;
}

describe("overlayRuns", () => {
  it("takes the newest run of each other target on the same host only", () => {
    const current = run("mine", "aaa", "2026-11-29T10:00:00Z");
    const runs = [
      current,
      run("reference", "aaa", "2026-11-29T09:00:00Z"),
      run("reference", "aaa", "2026-11-29T09:30:00Z"),
      run("bare", "bbb", "2026-11-29T09:30:00Z"),
    ].map((result) => ({ result }));
    expect(overlayRuns(runs, current).map((r) => [r.target.name, r.startedAt])).toEqual([
      ["reference", "2026-11-29T09:30:00Z"],
    ]);
  });
});

describe("headlines", () => {
  it("gives each target its gate and its newest run's 1-worker figures", () => {
    const one = point("target", 1, "root", 1000);
    one.summary.cpuUsPerRequest = { median: 12.5, min: 12, max: 13 };
    one.saturated = "server";
    const bench = [run("ref", "aaa", "2026-11-29T10:00:00Z", [one])].map((result) => ({ result }));
    const full = { only: null, of: 32 };
    const conformance = [
      {
        report: {
          target: { name: "ref" },
          startedAt: "x",
          options: full,
          requirements: [],
          gate: { passed: true, blocking: [], strict: false },
        },
      },
      {
        report: {
          target: { name: "mine" },
          startedAt: "x",
          options: full,
          requirements: [],
          gate: { passed: false, blocking: ["PORT-1"], strict: false },
        },
      },
    ] as unknown as Array<{ report: ConformanceReport }>;
    expect(headlines(bench, conformance)).toEqual([
      {
        target: "ref",
        gate: { passed: true, blocking: [], strict: false },
        bench: {
          capacity: 1000,
          cpuUsPerRequest: 12.5,
          scaling: "NOT met (1.20x at 2 workers)",
          limit: "server",
          fingerprint: "aaa",
        },
      },
      { target: "mine", gate: { passed: false, blocking: ["PORT-1"], strict: false }, bench: null },
    ]);
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

describe("a partial run", () => {
  const report = (name: string, startedAt: string, only: string[] | null, passed: boolean) =>
    ({
      target: { name },
      startedAt,
      options: { only, of: 32 },
      requirements: (only ?? ["SPAWN-1", "SPAWN-2", "PORT-1"]).map((id) => ({ id })),
      gate: { passed, blocking: passed ? [] : ["PORT-1"], strict: false },
    }) as unknown as ConformanceReport;

  it("never stands for a target that has a full run, however new it is", () => {
    const full = report("ref", "2026-12-01T10:00:00Z", null, false);
    const partial = report("ref", "2026-12-02T10:00:00Z", ["SPAWN-1", "SPAWN-2"], true);
    const [card] = headlines([], [{ report: partial }, { report: full }]);
    expect(card?.gate).toEqual({ passed: false, blocking: ["PORT-1"], strict: false });
  });

  it("stands for a target with no full run, and says what it checked", () => {
    const partial = report("ref", "2026-12-02T10:00:00Z", ["SPAWN-1", "SPAWN-2"], true);
    const [card] = headlines([], [{ report: partial }]);
    expect(card?.gate).toEqual({
      passed: true,
      blocking: [],
      strict: false,
      scope: "partial run: 2 of 32 requirements checked",
    });
  });
});

describe("history", () => {
  const report = (startedAt: string, passed: boolean, only: string[] | null) =>
    ({
      target: { name: "ref" },
      startedAt,
      options: { only, of: 32 },
      requirements: (only ?? ["SPAWN-1", "PORT-1"]).map((id) => ({ id })),
      gate: {
        passed,
        blocking: passed ? [] : ["PORT-1"],
        strict: false,
        counts: { pass: passed ? 2 : 1, fail: passed ? 0 : 1 },
      },
    }) as unknown as ConformanceReport;

  it("lists a target's runs newest first, a partial run saying so; a target with one run has none", () => {
    const rows = history(
      [],
      [
        { report: report("2026-12-01T10:00:00Z", false, null), file: "a.json" },
        { report: report("2026-12-03T10:00:00Z", true, ["SPAWN-1"]), file: "b.json" },
        { report: report("2026-12-02T10:00:00Z", true, null), file: "c.json" },
        {
          report: { ...report("2026-12-02T10:00:00Z", true, null), target: { name: "lonely" } },
          file: "d.json",
        },
      ],
    );
    expect([...rows.keys()]).toEqual(["ref"]);
    expect(rows.get("ref")?.map((r) => [r.file, r.verdict])).toEqual([
      ["b.json", "gate PASS (partial run: 1 of 32 requirements checked)"],
      ["c.json", "gate PASS"],
      ["a.json", "gate FAIL (PORT-1)"],
    ]);
  });
});
