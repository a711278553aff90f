import { coefficientOfVariation, median, type WelchResult, welch } from "../common/stats.ts";
import { studentTQuantile } from "../common/student-t.ts";
import type { BenchResult, Point } from "./bench.ts";

export type Change = "regression" | "improvement" | "no change" | "inconclusive";

export interface PointComparison {
  key: string;
  role: Point["role"];
  workers: number;
  route: Point["route"];
  oldMedian: number;
  newMedian: number;
  /** (new - old) / old */
  delta: number;
  test: WelchResult | null;
  change: Change;
  /** Flags either side carried: the comparison is only as good as the figures. */
  flags: string[];
}

export interface Comparison {
  thresholdPct: number;
  sameHost: boolean;
  notes: string[];
  points: PointComparison[];
  regressions: number;
}

const keyOf = (p: Point) => `${p.role}/${p.workers}/${p.route}`;

/**
 * Pure: per-point deltas of the median RPS with Welch's t-test on the runs.
 * A regression is a significant drop larger than the threshold.
 */
export function compareResults(older: BenchResult, newer: BenchResult, thresholdPct = 5): Comparison {
  const notes: string[] = [];
  const sameHost = hardwareDifference(older, newer) === undefined;
  // Hosted CI runners change kernels often: a different kernel, governor or mitigation is a note, not a refusal.
  for (const key of ["kernel", "governor"] as const) {
    if (older.host[key] !== newer.host[key])
      notes.push(`${key} differs: ${older.host[key]} -> ${newer.host[key]}`);
  }
  const mitigations = new Set([
    ...Object.keys(older.host.mitigations),
    ...Object.keys(newer.host.mitigations),
  ]);
  const changed = [...mitigations].filter(
    (name) => older.host.mitigations[name] !== newer.host.mitigations[name],
  );
  if (changed.length > 0) notes.push(`CPU mitigations differ: ${changed.sort().join(", ")}`);
  const placement = (result: BenchResult) =>
    JSON.stringify(result.points.find((p) => p.placement)?.placement ?? null);
  if (placement(older) !== placement(newer)) notes.push("CPU placement differs between the runs");
  if (older.host.node !== newer.host.node)
    notes.push(`Node differs: ${older.host.node} -> ${newer.host.node}`);
  if (older.loader.name !== newer.loader.name || older.loader.version !== newer.loader.version) {
    notes.push(
      `loader differs: ${older.loader.name} ${older.loader.version} -> ${newer.loader.name} ${newer.loader.version}`,
    );
  }
  if (
    older.options.connections !== newer.options.connections ||
    older.options.durationS !== newer.options.durationS
  ) {
    notes.push("connections or duration differ between the runs");
  }
  const oldPoints = new Map(older.points.map((p) => [keyOf(p), p]));
  const points: PointComparison[] = [];
  for (const point of newer.points) {
    const before = oldPoints.get(keyOf(point));
    if (!before) continue;
    const a = before.runs.map((r) => r.rps);
    const b = point.runs.map((r) => r.rps);
    const oldMedian = median(a);
    const newMedian = median(b);
    const delta = (newMedian - oldMedian) / oldMedian;
    const test = welch(a, b) ?? null;
    const beyond = Math.abs(delta) * 100 > thresholdPct;
    const change: Change = !test
      ? "inconclusive"
      : test.significant && beyond
        ? delta < 0
          ? "regression"
          : "improvement"
        : "no change";
    points.push({
      key: keyOf(point),
      role: point.role,
      workers: point.workers,
      route: point.route,
      oldMedian,
      newMedian,
      delta,
      test,
      change,
      flags: [...new Set([...before.flags, ...point.flags])],
    });
  }
  if (points.length === 0) notes.push("no point was measured in both runs");
  const cvs = older.points.map((p) => coefficientOfVariation(p.runs.map((r) => r.rps))).filter((v) => v > 0);
  if (cvs.length > 0) {
    const cv = median(cvs);
    const needed = runsToDetect(cv, thresholdPct / 100);
    const runs = Math.min(...older.points.map((p) => p.runs.length));
    notes.push(
      `the old runs vary by ${(cv * 100).toFixed(1)}% (median CV): detecting a ${thresholdPct}% change needs ${needed} runs a side${runs < needed ? ` (these have ${runs})` : ""}`,
    );
  }
  return {
    thresholdPct,
    sameHost,
    notes,
    points,
    regressions: points.filter((p) => p.change === "regression").length,
  };
}

/**
 * What makes two hosts' figures incomparable: another CPU model, another
 * number of logical CPUs, or another amount of memory. undefined when none.
 */
export function hardwareDifference(older: BenchResult, newer: BenchResult): string | undefined {
  const a = older.host;
  const b = newer.host;
  if (a.cpuModel !== b.cpuModel) return `CPU ${a.cpuModel} vs ${b.cpuModel}`;
  if (a.logicalCpus !== b.logicalCpus) return `${a.logicalCpus} vs ${b.logicalCpus} logical CPUs`;
  if (a.memoryGiB !== b.memoryGiB) return `${a.memoryGiB} vs ${b.memoryGiB} GiB of memory`;
  return undefined;
}

/**
 * Runs per side that Welch's test needs to detect a relative change `delta`
 * (two-sided 5% level, 80% power) when the runs vary with coefficient of
 * variation `cv`: the smallest n with n >= 2 (t(0.975) + t(0.8))^2 cv^2 / delta^2,
 * the t quantiles taken at 2n - 2 degrees of freedom.
 */
export function runsToDetect(cv: number, delta: number): number {
  if (!(cv > 0) || !(delta > 0)) return 2;
  for (let n = 2; n < 1_000; n++) {
    const df = 2 * n - 2;
    const needed =
      (2 * (studentTQuantile(0.975, df) + studentTQuantile(0.8, df)) ** 2 * cv ** 2) / delta ** 2;
    if (n >= needed) return n;
  }
  return 1_000;
}
