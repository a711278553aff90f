import type { BenchResult, Point } from "../../results/bench.ts";
import { ROUTE_NAMES, type RouteName } from "../../results/bench.ts";
import type { ConformanceReport } from "../../results/conformance.ts";
import { goalText, newestPerTarget, pointLabel, spreadOf, targetPoints } from "../../results/derive.ts";
import type { LifecycleResult } from "../../results/lifecycle.ts";
import type { PublishedDataset } from "../../results/report-data.ts";
import { gateTally, gateText, newestFullPerTarget, partialScope } from "../../results/verdicts.ts";

/** Pure view models: what each chart and table shows, computed from a result. Tested without a browser. */

export interface RpsSeries {
  route: RouteName;
  workers: number[];
  median: number[];
  /** The spread around each median (see spreadOf): the 95% interval, or the runs' range under 5 runs. */
  ciLow: (number | null)[];
  ciHigh: (number | null)[];
  spreadKind: "ci95" | "range";
  /** The 1-worker median times the worker count: perfect scaling. */
  ideal: (number | null)[];
  flags: string[][];
  saturated: string[];
  published: Array<{ workers: number; rps: number }>;
}

export function rpsSeries(result: BenchResult, route: RouteName, published: PublishedDataset): RpsSeries {
  const points = targetPoints(result, route);
  const one = points.find((p) => p.workers === 1)?.summary.rps.median;
  return {
    route,
    workers: points.map((p) => p.workers),
    median: points.map((p) => p.summary.rps.median),
    ciLow: points.map((p) => spreadOf(p).low),
    ciHigh: points.map((p) => spreadOf(p).high),
    spreadKind: points.some((p) => spreadOf(p).kind === "ci95") ? "ci95" : "range",
    ideal: points.map((p) => (one === undefined ? null : one * p.workers)),
    flags: points.map((p) => p.flags),
    saturated: points.map((p) => p.saturated),
    // BustAPI published root and json figures only.
    published: route === "io" ? [] : published.points.map((p) => ({ workers: p.workers, rps: p[route] })),
  };
}

export interface ScalingRow {
  workers: number;
  speedup: number | null;
  efficiency: number | null;
}

export function scaling(result: BenchResult, route: RouteName): ScalingRow[] {
  const points = targetPoints(result, route);
  const one = points.find((p) => p.workers === 1)?.summary.rps.median;
  return points.map((p) => {
    const speedup = one ? p.summary.rps.median / one : null;
    return { workers: p.workers, speedup, efficiency: speedup === null ? null : speedup / p.workers };
  });
}

/** Every figure of a run as table rows: the table view and the tests read the same numbers. */
export interface FigureRow {
  key: string;
  /** "2w root", "bare (baseline) 1w root" */
  label: string;
  role: Point["role"];
  target: string;
  workers: number;
  route: RouteName;
  rpsMedian: number;
  ciLow: number | null;
  ciHigh: number | null;
  cv: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  p999: number | null;
  serverCores: number;
  loaderCores: number;
  hostBusyCores: number | null;
  peakRssMiB: number | null;
  /** Server CPU microseconds per request (absent in results older than the measurement). */
  cpuUsPerRequest: number | null;
  /** The largest worker's private memory after the load. */
  ussMiB: number | null;
  failures: number;
  saturated: string;
  flags: string[];
}

export function figureRows(result: BenchResult): FigureRow[] {
  return result.points.map((p) => ({
    key: `${p.role}-${p.workers}-${p.route}`,
    label: pointLabel(p, { target: p.role === "baseline" }),
    role: p.role,
    target: p.targetName,
    workers: p.workers,
    route: p.route,
    rpsMedian: p.summary.rps.median,
    ciLow: spreadOf(p).low,
    ciHigh: spreadOf(p).high,
    cv: p.summary.rps.cv,
    p50: p.summary.latencyMs.p50,
    p90: p.summary.latencyMs.p90,
    p99: p.summary.latencyMs.p99,
    p999: p.summary.latencyMs.p999,
    serverCores: p.summary.serverCores,
    loaderCores: p.summary.loaderCores,
    hostBusyCores: p.summary.hostBusyCores,
    peakRssMiB: p.summary.peakRssPerWorkerBytes === null ? null : p.summary.peakRssPerWorkerBytes / 2 ** 20,
    cpuUsPerRequest: p.summary.cpuUsPerRequest?.median ?? null,
    ussMiB:
      p.summary.ussPerWorkerBytes?.afterLoad === null || p.summary.ussPerWorkerBytes?.afterLoad === undefined
        ? null
        : p.summary.ussPerWorkerBytes.afterLoad / 2 ** 20,
    failures: p.summary.failures,
    saturated: p.saturated,
    flags: p.flags,
  }));
}

/** A short label for a run in selectors: target, date, fingerprint. */
export function runLabel(result: BenchResult, file: string): string {
  const when = result.startedAt.replace("T", " ").slice(0, 16);
  return `${result.target.name} · ${when} UTC · ${result.loader.name} · host ${result.host.fingerprint}${result.complete ? "" : " · incomplete"} (${file})`;
}

export const RSS_CLAIM_MIB = { low: 25, high: 40 } as const;

export function formatNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * The other targets to draw beside `current` on its RPS charts: the newest run of each other
 * target measured on the same host fingerprint (figures from other hardware are not comparable).
 */
export function overlayRuns(
  runs: ReadonlyArray<{ result: BenchResult }>,
  current: BenchResult,
): BenchResult[] {
  const sameHost = runs.map((r) => r.result).filter((r) => r.host.fingerprint === current.host.fingerprint);
  return [...newestPerTarget(sameHost).values()]
    .filter((r) => r.target.name !== current.target.name)
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

/** The first things to know about a target, before any table: one card each. */
export interface Headline {
  target: string;
  /**
   * null: no conformance result for this target. The newest full run's, or a partial run's (`scope` says
   * what it checked) only when no full run is there.
   */
  gate: { passed: boolean; blocking: string[]; strict: boolean; scope?: string } | null;
  /** The newest bench run of this target, or null. */
  bench: {
    /** RPS at 1 worker on the root route (median). */
    capacity: number | null;
    cpuUsPerRequest: number | null;
    /** The scaling goal's verdict on the root route, in words. */
    scaling: string;
    /** Which side ran out of CPU at that 1-worker point. */
    limit: string;
    fingerprint: string;
  } | null;
}

export function headlines(
  bench: ReadonlyArray<{ result: BenchResult }>,
  conformance: ReadonlyArray<{ report: ConformanceReport }>,
): Headline[] {
  const runs = newestPerTarget(bench.map((b) => b.result));
  const reports = newestFullPerTarget(conformance.map((c) => c.report));
  const names = [...new Set([...runs.keys(), ...reports.keys()])];
  return names.map((target) => {
    const report = reports.get(target);
    const run = runs.get(target);
    const one = run?.points.find((p) => p.role === "target" && p.workers === 1 && p.route === "root");
    const scaling = run?.goals.scaling.find((g) => g.route === "root");
    const scope = report ? partialScope(report) : undefined;
    return {
      target,
      gate: report
        ? {
            passed: report.gate.passed,
            blocking: report.gate.blocking,
            strict: report.gate.strict,
            ...(scope ? { scope } : {}),
          }
        : null,
      bench: run
        ? {
            capacity: one ? one.summary.rps.median : null,
            cpuUsPerRequest: one?.summary.cpuUsPerRequest?.median ?? null,
            scaling: scaling ? goalText(scaling) : "not measured",
            limit: one ? one.saturated : "not measured",
            fingerprint: run.host.fingerprint,
          }
        : null,
    };
  });
}

/** The routes a result measured, in their usual order (io only where the target declares one). */
export function routesOf(result: BenchResult): RouteName[] {
  return ROUTE_NAMES.filter((route) => result.points.some((p) => p.role === "target" && p.route === route));
}

/** One run of a target in its history: when, what kind, its verdict and headline figures, in words. */
export interface HistoryRow {
  startedAt: string;
  kind: "conformance" | "bench" | "lifecycle";
  verdict: string;
  figures: string;
  file: string;
}

/**
 * Each target's runs, newest first, for the targets with more than one: a regression or a fix shows
 * without `compare`. Partial conformance runs are listed, and say so.
 */
export function history(
  bench: ReadonlyArray<{ result: BenchResult; file: string }>,
  conformance: ReadonlyArray<{ report: ConformanceReport; file: string }>,
  lifecycle: ReadonlyArray<{ result: LifecycleResult; file: string }> = [],
): Map<string, HistoryRow[]> {
  const rows = new Map<string, HistoryRow[]>();
  const add = (target: string, row: HistoryRow) => rows.set(target, [...(rows.get(target) ?? []), row]);
  for (const { report, file } of conformance) {
    const scope = partialScope(report);
    add(report.target.name, {
      startedAt: report.startedAt,
      kind: "conformance",
      verdict: `gate ${gateText(report.gate)}${scope ? ` (${scope})` : ""}`,
      figures: gateTally(report.gate.counts),
      file,
    });
  }
  for (const { result, file } of bench) {
    const one = result.points.find((p) => p.role === "target" && p.workers === 1 && p.route === "root");
    const scaling = result.goals.scaling.find((g) => g.route === "root");
    const lost = result.shutdownLoss?.runs ?? [];
    const figures = [
      one ? `1 worker: ${formatNumber(one.summary.rps.median)} RPS` : null,
      one?.summary.cpuUsPerRequest
        ? `${formatNumber(one.summary.cpuUsPerRequest.median, 1)} µs CPU/request`
        : null,
      lost.length > 0
        ? `${formatNumber(lost.reduce((sum, r) => sum + r.lost + r.timedOut, 0) / lost.length, 1)} lost per shutdown`
        : null,
    ].filter((f): f is string => f !== null);
    add(result.target.name, {
      startedAt: result.startedAt,
      kind: "bench",
      verdict: scaling ? `scaling ${goalText(scaling)}` : "",
      figures: figures.join("; "),
      file,
    });
  }
  for (const { result, file } of lifecycle) {
    const stops = result.events.filter((e) => e.stops).flatMap((e) => e.runs);
    const kill = result.events.find((e) => e.id === "worker-kill")?.runs[0];
    const lost = stops.reduce((sum, r) => sum + r.lost + r.hung, 0);
    add(result.target.name, {
      startedAt: result.startedAt,
      kind: "lifecycle",
      verdict: `${lost} lost or hung over ${stops.length} stop(s)`,
      figures:
        kill?.recoveryMs === undefined || kill.recoveryMs === null
          ? ""
          : `worker killed: serving again in ${kill.recoveryMs} ms`,
      file,
    });
  }
  for (const [target, list] of rows) {
    if (list.length < 2) rows.delete(target);
    else list.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }
  return rows;
}
