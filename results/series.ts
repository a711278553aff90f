import type { BenchResult, Point } from "./bench.ts";
import type { LifecycleResult } from "./lifecycle.ts";

/**
 * The figures a team follows across commits, derived once from a bench and a lifecycle result, for the
 * continuous-benchmarking formats to render (reports/export/): Bencher's BMF and github-action-benchmark's
 * custom JSON. Each figure says which way is better, so that a service can alert on a change.
 */
export interface SeriesFigure {
  /** What was measured: `reference/2w/root`, `reference/shutdown/SIGTERM`, `reference/lifecycle/worker-kill`. */
  benchmark: string;
  /** A Bencher measure slug: throughput, latency (nanoseconds), or one of the kit's own. */
  measure: string;
  unit: string;
  better: "bigger" | "smaller";
  value: number;
  /** The spread of the runs, where there were several. */
  lower?: number;
  upper?: number;
}

const NS_PER_MS = 1e6;
const BYTES_PER_MIB = 1024 * 1024;

function pointFigures(result: BenchResult, point: Point): SeriesFigure[] {
  const benchmark = `${result.target.name}/${point.workers}w/${point.route}`;
  const figures: SeriesFigure[] = [];
  const rps = point.runs.map((r) => r.rps);
  figures.push({
    benchmark,
    measure: "throughput",
    unit: "requests/s",
    better: "bigger",
    value: point.summary.rps.median,
    ...(rps.length > 1 ? { lower: Math.min(...rps), upper: Math.max(...rps) } : {}),
  });
  const cpu = point.summary.cpuUsPerRequest;
  if (cpu) {
    figures.push({
      benchmark,
      measure: "cpu-per-request",
      unit: "µs",
      better: "smaller",
      value: cpu.median,
      ...(point.runs.length > 1 ? { lower: cpu.min, upper: cpu.max } : {}),
    });
  }
  // Latency where it means something: at half the point's capacity, timed from when each request was due.
  const half = point.fixedRate?.find((f) => f.fraction === 0.5);
  if (half && half.completed > 0) {
    figures.push(
      { benchmark, measure: "latency", unit: "ns", better: "smaller", value: half.latencyMs.p50 * NS_PER_MS },
      {
        benchmark,
        measure: "latency-p99",
        unit: "ns",
        better: "smaller",
        value: half.latencyMs.p99 * NS_PER_MS,
      },
    );
  }
  const uss = point.summary.ussPerWorkerBytes?.afterLoad;
  if (typeof uss === "number") {
    figures.push({
      benchmark,
      measure: "uss-per-worker",
      unit: "MiB",
      better: "smaller",
      value: uss / BYTES_PER_MIB,
    });
  }
  return figures;
}

/** Throughput, CPU per request, latency and memory of every target point; requests lost per shutdown signal. */
export function benchSeries(result: BenchResult): SeriesFigure[] {
  const figures = result.points.filter((p) => p.role === "target").flatMap((p) => pointFigures(result, p));
  const runs = result.shutdownLoss?.runs ?? [];
  for (const signal of [...new Set(runs.map((r) => r.signal))]) {
    const lost = runs.filter((r) => r.signal === signal).map((r) => r.lost + r.timedOut);
    figures.push({
      benchmark: `${result.target.name}/shutdown/${signal}`,
      measure: "lost-per-shutdown",
      unit: "requests",
      better: "smaller",
      value: lost.reduce((sum, n) => sum + n, 0) / lost.length,
      lower: Math.min(...lost),
      upper: Math.max(...lost),
    });
  }
  return figures;
}

/** Per lifecycle event: requests lost and hung per run, and the time to recover where the server survives it. */
export function lifecycleSeries(result: LifecycleResult): SeriesFigure[] {
  const figures: SeriesFigure[] = [];
  const seen = new Set<string>();
  for (const event of result.events) {
    if (event.runs.length === 0) continue;
    // An event measured again (with net.ipv4.tcp_migrate_req=1, where the host allows it) is its own series.
    const again = seen.has(event.id);
    seen.add(event.id);
    const variant = again ? (event.runs.every((r) => r.tcpMigrateReq === 1) ? "+migrate" : "+again") : "";
    const benchmark = `${result.target.name}/lifecycle/${event.id}${variant}`;
    const mean = (values: number[]) => values.reduce((sum, n) => sum + n, 0) / values.length;
    const spread = (values: number[]) =>
      values.length > 1 ? { lower: Math.min(...values), upper: Math.max(...values) } : {};
    const lost = event.runs.map((r) => r.lost);
    const hung = event.runs.map((r) => r.hung);
    figures.push(
      { benchmark, measure: "lost", unit: "requests", better: "smaller", value: mean(lost), ...spread(lost) },
      { benchmark, measure: "hung", unit: "requests", better: "smaller", value: mean(hung), ...spread(hung) },
    );
    const recovered = event.runs.map((r) => r.recoveryMs).filter((ms): ms is number => ms !== null);
    if (!event.stops && recovered.length > 0) {
      figures.push({
        benchmark,
        measure: "recovery",
        unit: "ms",
        better: "smaller",
        value: mean(recovered),
        ...spread(recovered),
      });
    }
  }
  return figures;
}
