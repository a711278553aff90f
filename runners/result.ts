import type { MemoryUse } from "../common/probes/proc-parse.ts";
import type { ShutdownLossRun } from "../common/shutdown-loss.ts";
import type { Saturated } from "./guards.ts";
import type { HostInfo } from "./host.ts";
import type { LatencySummary } from "./latency.ts";
import type { LoadHostInfo } from "./load-host.ts";
import type { RateResult } from "./loaders/constant-rate.ts";
import type { LoadResult } from "./loaders/types.ts";
import type { BenchOptions, LoaderName, RouteName } from "./options.ts";
import type { Recommendation } from "./recommend.ts";
import type { Interval } from "./stats.ts";
import type { WarningCode } from "./warnings.ts";

export const BENCH_SCHEMA_VERSION = 1;

/** One measured run of one point. */
export interface RunResult extends LoadResult {
  serverCpuSeconds: number;
  /** CPU seconds per wall second. */
  serverCores: number;
  loaderCores: number;
  hostBusyCores: number;
  /** Server-side ESTABLISHED connections seen half-way through the run (asked: options.connections). */
  connectionsOpen: number;
  /** pid -> peak resident set (VmHWM) in bytes, for the started process and each worker. */
  peakRssBytes: Record<string, number>;
  /** Server CPU time per request, all processes of the target, in microseconds: valid whichever side saturated. */
  serverCpuUsPerRequest: number | null;
}

export interface PointSummary {
  runs: number;
  rps: { median: number; mean: number; ci95: Interval | null; cv: number | null };
  /** Merged from the runs' raw histograms when `latencyMerged`, else the median of per-run percentiles. */
  latencyMs: LatencySummary;
  latencyMerged: boolean;
  serverCores: number;
  loaderCores: number;
  hostBusyCores: number;
  /** The largest peak RSS of any worker (or of the one process when single), in bytes. */
  peakRssPerWorkerBytes: number | null;
  failures: number;
  connectionsOpen: number;
  /** Server CPU microseconds per request: the median of the runs, and their spread. */
  cpuUsPerRequest: { median: number; min: number; max: number } | null;
  /** The largest USS (private pages) of any worker, at rest before the load and after it, in bytes. */
  ussPerWorkerBytes?: { atRest: number | null; afterLoad: number | null };
}

export type PointRole = "target" | "baseline";

/** One constant-rate measurement: latency timed from when each request was due. */
export interface FixedRateResult extends RateResult {
  /** The fraction of the point's capacity offered, e.g. 0.5. */
  fraction: number;
}

export interface Point {
  role: PointRole;
  targetName: string;
  workers: number;
  route: RouteName;
  path: string;
  /** Live processes below the started one while measured (0 for a single process). */
  workerPids: number[];
  startedPid: number;
  runs: RunResult[];
  summary: PointSummary;
  /** RSS, PSS and USS of each worker at rest (before the warm-up) and after the measured runs. */
  memory?: { atRest: Record<string, MemoryUse>; afterLoad: Record<string, MemoryUse> };
  /** Latency at fixed fractions of this point's capacity (the median RPS), from the constant-rate client. */
  fixedRate?: FixedRateResult[];
  /** The CPUs each side was pinned to, or null when they shared the host. */
  placement: { loaderCpus: number[]; targetCpus: number[] } | null;
  flags: WarningCode[];
  saturated: Saturated;
}

export interface Goal {
  route: RouteName;
  /** null when the goal cannot be judged here; `reason` says why. */
  met: boolean | null;
  ratio: number | null;
  reason: string;
}

export interface BenchResult {
  schemaVersion: typeof BENCH_SCHEMA_VERSION;
  kind: "bench";
  kitVersion: string;
  startedAt: string;
  finishedAt: string | null;
  /** false while the run is going (the file is rewritten after each point) or if it was interrupted. */
  complete: boolean;
  target: { name: string; manifest: string; command: string[]; versionLine: string | null };
  baseline: { name: string; manifest: string } | null;
  options: BenchOptions;
  host: HostInfo;
  loader: { name: LoaderName; version: string; threads: number; pipelining: number };
  guardThresholds: Record<string, number>;
  points: Point[];
  goals: { overhead: Goal[]; scaling: Goal[] };
  /** How many workers to give this host, per route (see recommend.ts); absent in older results. */
  recommendations?: Recommendation[];
  /** Load from other hosts: each load host as probed before the run (see loaders/remote-wrk.ts). */
  loadHosts?: LoadHostInfo[];
  /** Points that could not be measured (a load host failed), with the reason; the run exits 1. */
  failedPoints?: Array<{ role: PointRole; workers: number; route: RouteName; reason: string }>;
  /** What a shutdown of the target loses, per run and signal (see common/shutdown-loss.ts). */
  shutdownLoss?: { workers: number; ratePerS: number; runs: ShutdownLossRun[] };
}
