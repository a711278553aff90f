import type {
  BenchResult,
  FixedRateResult,
  Goal,
  Point,
  PointRole,
  RouteName,
  ShutdownLossRun,
} from "./bench.ts";
import type { Recommendation } from "./recommend.ts";

/**
 * Pure: every figure and phrase derived from a bench result that more than one renderer shows.
 * The console, the Markdown, the CSV and the page call these and compute nothing of their own.
 */

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** Whole numbers with thousands separators: "71,361". */
export function formatInteger(value: number): string {
  return integer.format(value);
}

/** What identifies a point among a run's points. */
export interface PointKey {
  role: PointRole;
  targetName: string;
  workers: number;
  route: RouteName;
}

/** "reference", or "bare-node-http (baseline)": the target column of a point. */
export function targetLabel(p: Pick<PointKey, "role" | "targetName">): string {
  return p.role === "baseline" ? `${p.targetName} (baseline)` : p.targetName;
}

/**
 * A point in one cell: "2w root", "baseline 1w root"; with `target`, the target's name first
 * ("reference 2w root", "bare-node-http (baseline) 1w root").
 */
export function pointLabel(
  p: Pick<PointKey, "role" | "workers" | "route"> & { targetName?: string },
  { target = false }: { target?: boolean } = {},
): string {
  const who =
    target && p.targetName !== undefined
      ? `${targetLabel({ role: p.role, targetName: p.targetName })} `
      : p.role === "baseline"
        ? "baseline "
        : "";
  return `${who}${p.workers}w ${p.route}`;
}

/** The spread drawn or printed around a median. */
export interface Spread {
  low: number | null;
  high: number | null;
  /** ci95: the 95% interval of the mean (5 runs or more); range: the runs' min and max. */
  kind: "ci95" | "range";
}

/** From this many runs the 95% interval is shown; below it the interval is too wide to mean much. */
export const CI_MIN_RUNS = 5;

/**
 * The spread around a point's median RPS: the 95% interval of the mean from 5 runs on; below that
 * the interval is too wide to mean much (with 2 runs it can go below zero), so the runs' own range.
 */
export function spreadOf(p: Point): Spread {
  const runs = p.runs.map((r) => r.rps);
  if (runs.length >= CI_MIN_RUNS && p.summary.rps.ci95) {
    return { low: p.summary.rps.ci95.low, high: p.summary.rps.ci95.high, kind: "ci95" };
  }
  if (runs.length > 1) return { low: Math.min(...runs), high: Math.max(...runs), kind: "range" };
  return { low: null, high: null, kind: "range" };
}

/** "71,361 ± 2,493" (95% interval), "71,361 (70,100–72,900)" (the runs' range) or "71,361 (1 run)". */
export function rpsText(p: Point): string {
  const median = formatInteger(p.summary.rps.median);
  const spread = spreadOf(p);
  if (spread.low === null || spread.high === null) return `${median} (1 run)`;
  return spread.kind === "ci95"
    ? `${median} ± ${formatInteger((spread.high - spread.low) / 2)}`
    : `${median} (${formatInteger(spread.low)}–${formatInteger(spread.high)})`;
}

/** What the spread of a run's points is, in words (a table's legend). */
export function spreadLegend(runs: number): string {
  return runs >= CI_MIN_RUNS
    ? "median ± half the 95% interval of the mean"
    : `median (the runs' min–max; a 95% interval needs ${CI_MIN_RUNS} runs)`;
}

/** Speedup over the same target's 1-worker point on the same route, and efficiency (speedup / workers). */
export function scalingOf(result: BenchResult, p: Point): { speedup: number; efficiency: number } | null {
  const one = result.points.find(
    (q) => q.role === p.role && q.targetName === p.targetName && q.route === p.route && q.workers === 1,
  );
  if (!one || !(one.summary.rps.median > 0)) return null;
  const speedup = p.summary.rps.median / one.summary.rps.median;
  return { speedup, efficiency: speedup / p.workers };
}

/** The target's points on one route, by worker count. */
export function targetPoints(result: BenchResult, route: RouteName): Point[] {
  return result.points
    .filter((p) => p.role === "target" && p.route === route)
    .sort((a, b) => a.workers - b.workers);
}

/** The newest of each target's results (bench runs or conformance reports), by target name. */
export function newestPerTarget<T extends { startedAt: string; target: { name: string } }>(
  items: readonly T[],
): Map<string, T> {
  const newest = new Map<string, T>();
  for (const item of items) {
    const seen = newest.get(item.target.name);
    if (!seen || item.startedAt > seen.startedAt) newest.set(item.target.name, item);
  }
  return newest;
}

/** A goal in words: "met (…)", "NOT met (…)" or "not judged (why)". */
export function goalText(g: Goal): string {
  return `${g.met === null ? "not judged" : g.met ? "met" : "NOT met"} (${g.reason})`;
}

/** "root: 1 worker(s). 1: with 1 CPU …" */
export function recommendationText(r: Recommendation): string {
  return `${r.route}: ${r.workers === null ? "no recommendation" : `${r.workers} worker(s)`}. ${r.reason}`;
}

/** What the shutdowns of one signal lost, summed over its runs, and each run's loss. */
export interface ShutdownLossSummary {
  signal: string;
  runs: ShutdownLossRun[];
  /** Lost or timed out, per run. */
  lostPerRun: number[];
  answered: number;
  refused: number;
  lost: number;
  timedOut: number;
  queuedAtSignal: number[];
}

export function shutdownLossSummaries(result: BenchResult): ShutdownLossSummary[] {
  const loss = result.shutdownLoss;
  if (!loss) return [];
  const signals = [...new Set(loss.runs.map((run) => run.signal))];
  return signals.map((signal) => {
    const runs = loss.runs.filter((run) => run.signal === signal);
    const sum = (key: "answered" | "refused" | "lost" | "timedOut") =>
      runs.reduce((total, run) => total + run[key], 0);
    return {
      signal,
      runs,
      lostPerRun: runs.map((run) => run.lost + run.timedOut),
      answered: sum("answered"),
      refused: sum("refused"),
      lost: sum("lost"),
      timedOut: sum("timedOut"),
      queuedAtSignal: runs.map((run) => run.queuedAtSignal),
    };
  });
}

/**
 * Whether a fixed-rate measurement measured the server: the kit's client must have kept its
 * schedule. Its own sending delay (lag) is part of every latency on the row, so the row is shown
 * only when the lag's p99 is under a tenth of the latency's p99 and its median is negligible
 * (under a tenth of the latency's median, and under 0.1 ms), and the rate offered reached 95%
 * of the rate asked.
 */
export const FIXED_RATE_RULE = { lagP99Share: 0.1, lagP50Share: 0.1, lagP50MaxMs: 0.1, achievedShare: 0.95 };

export interface FixedRateRow {
  point: Point;
  fixed: FixedRateResult;
  /** null when the row measured the server; otherwise why not, in a few words for a table cell. */
  notMeasured: string | null;
}

/** What to do about rows the kit's client could not measure: one line under the table. */
export function fixedRateAdvice(loaderCpus: readonly number[] | null): string {
  const cpus = loaderCpus && loaderCpus.length > 0 ? `its CPU ${loaderCpus.join(",")}` : "the shared CPUs";
  return `not measured: at that rate the kit's client could not keep its schedule on ${cpus}, so the latencies would be its own; give the load generator more CPUs (--cpus loader=...) or measure from another host (--load-host)`;
}

/** null when the client kept its schedule (FIXED_RATE_RULE); otherwise how far it fell behind. */
export function fixedRateVerdict(fixed: FixedRateResult): string | null {
  const r = FIXED_RATE_RULE;
  const lagged =
    fixed.sendLagMs.p99 >= r.lagP99Share * fixed.latencyMs.p99 ||
    fixed.sendLagMs.p50 >= Math.min(r.lagP50MaxMs, r.lagP50Share * fixed.latencyMs.p50);
  const short = fixed.achievedRatePerS < r.achievedShare * fixed.targetRatePerS;
  if (!lagged && !short) return null;
  const offered = short ? `, offered ${formatInteger(fixed.achievedRatePerS)}/s` : "";
  return `not measured: the client fell ${formatMs(fixed.sendLagMs.p99)} ms behind (p99)${offered}`;
}

export function fixedRateRows(result: BenchResult): FixedRateRow[] {
  return result.points.flatMap((point) =>
    (point.fixedRate ?? []).map((fixed) => ({ point, fixed, notMeasured: fixedRateVerdict(fixed) })),
  );
}

/** Milliseconds to three significant places: "0.046", "2.05", "12.4". */
export function formatMs(value: number): string {
  return value < 1 ? value.toFixed(3) : value < 10 ? value.toFixed(2) : value.toFixed(1);
}
