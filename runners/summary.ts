import { coefficientOfVariation, confidenceInterval95, mean, median } from "../common/stats.ts";
import type { PointSummary, RunResult } from "../results/bench.ts";
import { mergeHistograms } from "./latency.ts";

/** Pure: a point's runs summarised once: medians, the interval, the spread, merged latency. */
export function summariseRuns(
  runs: readonly RunResult[],
  workerPids: readonly number[],
  startedPid: number,
): PointSummary {
  const rps = runs.map((r) => r.rps);
  const histograms = runs.map((r) => r.latencyHistogram).filter((h): h is string => h !== undefined);
  const merged = histograms.length === runs.length ? mergeHistograms(histograms) : undefined;
  const pick = (key: "p50" | "p90" | "p99" | "p999" | "max") => median(runs.map((r) => r.latencyMs[key]));
  const cv = coefficientOfVariation(rps);
  const costs = runs
    .map((r) => r.serverCpuUsPerRequest)
    .filter((v): v is number => v !== null && v !== undefined);
  const rssPids = workerPids.length > 0 ? workerPids : [startedPid];
  const rss = runs.flatMap((r) =>
    rssPids.map((pid) => r.peakRssBytes[String(pid)]).filter((v): v is number => v !== undefined),
  );
  return {
    runs: runs.length,
    rps: {
      median: median(rps),
      mean: mean(rps),
      ci95: confidenceInterval95(rps) ?? null,
      cv: Number.isNaN(cv) ? null : cv,
    },
    latencyMs: merged ?? {
      p50: pick("p50"),
      p90: pick("p90"),
      p99: pick("p99"),
      p999: pick("p999"),
      max: Math.max(...runs.map((r) => r.latencyMs.max)),
      count: runs.reduce((sum, r) => sum + r.latencyMs.count, 0),
    },
    latencyMerged: merged !== undefined,
    serverCores: median(runs.map((r) => r.serverCores)),
    loaderCores: median(runs.map((r) => r.loaderCores)),
    hostBusyCores: median(runs.map((r) => r.hostBusyCores)),
    peakRssPerWorkerBytes: rss.length > 0 ? Math.max(...rss) : null,
    failures: runs.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0),
    connectionsOpen: Math.min(...runs.map((r) => r.connectionsOpen)),
    cpuUsPerRequest:
      costs.length > 0 ? { median: median(costs), min: Math.min(...costs), max: Math.max(...costs) } : null,
  };
}
