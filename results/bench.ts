import type { MemoryUse } from "../common/probes/proc-parse.ts";
import type { Interval } from "../common/stats.ts";
import type { Timeline } from "./timeline.ts";
import type { Count, Fraction, Integer, IsoTime, NonNegative, Positive, PositiveCount } from "./units.ts";
import type { WarningCode } from "./warnings.ts";

/** 2 since the constant-rate client records the rate it kept and its threads; files of version 1 are read too. */
export const BENCH_SCHEMA_VERSION = 3;

/** One measured run of one point. */
export interface RunResult extends LoadResult {
  serverCpuSeconds: NonNegative;
  /** CPU seconds per wall second. */
  serverCores: NonNegative;
  loaderCores: NonNegative;
  hostBusyCores: NonNegative;
  /** Server-side ESTABLISHED connections seen half-way through the run (asked: options.connections). */
  connectionsOpen: Count;
  /** pid -> peak resident set (VmHWM) in bytes, for the started process and each worker. */
  peakRssBytes: Record<string, NonNegative>;
  /** Server CPU time per request, all processes of the target, in microseconds: valid whichever side saturated. */
  serverCpuUsPerRequest: number | null;
}

export interface PointSummary {
  runs: PositiveCount;
  rps: { median: number; mean: number; ci95: Interval | null; cv: number | null };
  /** Merged from the runs' raw histograms when `latencyMerged`, else the median of per-run percentiles. */
  latencyMs: LatencySummary;
  latencyMerged: boolean;
  serverCores: NonNegative;
  loaderCores: NonNegative;
  hostBusyCores: NonNegative;
  /** The largest peak RSS of any worker (or of the one process when single), in bytes. */
  peakRssPerWorkerBytes: number | null;
  failures: Count;
  connectionsOpen: Count;
  /** Server CPU microseconds per request: the median of the runs, and their spread. */
  cpuUsPerRequest: { median: number; min: number; max: number } | null;
  /** The largest USS (private pages) of any worker, at rest before the load and after it, in bytes. */
  ussPerWorkerBytes?: { atRest: number | null; afterLoad: number | null };
}

export type PointRole = "target" | "baseline";

/** One constant-rate measurement: latency timed from when each request was due. */
export interface FixedRateResult extends RateResult {
  /** The fraction of the point's capacity offered, e.g. 0.5. */
  fraction: Fraction;
}

export interface Point {
  role: PointRole;
  targetName: string;
  workers: PositiveCount;
  route: RouteName;
  path: string;
  /** Live processes below the started one while measured (0 for a single process). */
  workerPids: Integer[];
  startedPid: Integer;
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
  schemaVersion: 1 | 2 | typeof BENCH_SCHEMA_VERSION;
  kind: "bench";
  kitVersion: string;
  startedAt: IsoTime;
  finishedAt: string | null;
  /** false while the run is going (the file is rewritten after each point) or if it was interrupted. */
  complete: boolean;
  target: { name: string; manifest: string; command: string[]; versionLine: string | null };
  baseline: { name: string; manifest: string } | null;
  options: BenchOptions;
  host: HostInfo;
  loader: { name: LoaderName; version: string; threads: PositiveCount; pipelining: PositiveCount };
  guardThresholds: Record<string, number>;
  points: Point[];
  goals: { overhead: Goal[]; scaling: Goal[] };
  /** How many workers to give this host, per route (see recommend.ts); absent in older results. */
  recommendations?: Recommendation[];
  /** Load from other hosts: each load host as probed before the run (see loaders/remote-wrk.ts). */
  loadHosts?: LoadHostInfo[];
  /** Points that could not be measured (a load host failed), with the reason; the run exits 1. */
  failedPoints?: Array<{ role: PointRole; workers: PositiveCount; route: RouteName; reason: string }>;
  /** What a shutdown of the target loses, per run and signal (see targets/shutdown-loss.ts). */
  shutdownLoss?: { workers: PositiveCount; ratePerS: NonNegative; runs: ShutdownLossRun[] };
}

export type LoaderName = "autocannon" | "wrk";

/** `auto`: wrk where it is installed on Linux (microsecond latency, and it keeps up best), else autocannon. */
export type LoaderChoice = LoaderName | "auto";

/** `io` is measured only where the target's manifest declares it (a path with `{ms}`). */
export type RouteName = "root" | "json" | "io";

export const ROUTE_NAMES: readonly RouteName[] = ["root", "json", "io"];

/** Every option of a benchmark run, with units in the names. Saved whole in the result. */
export interface BenchOptions {
  /** Manifest path, or undefined for the reference. */
  target: string | undefined;
  /** Manifest path of the baseline measured at 1 worker in the same run; null for none; undefined for the default. */
  baseline: string | null | undefined;
  workers: PositiveCount[];
  /** --workers auto: 1, 2, 4 ... up to twice the CPUs the target may use, chosen once the placement is known. */
  workersAuto: boolean;
  routes: RouteName[];
  /** --routes was given: a route the target does not declare is an error rather than skipped. */
  routesGiven: boolean;
  /** How long each request to the `io` route waits, in milliseconds (its `{ms}`). */
  ioMs: Count;
  durationS: PositiveCount;
  runs: PositiveCount;
  warmupS: Count;
  connections: PositiveCount;
  pipelining: PositiveCount;
  loader: LoaderChoice;
  loaderThreads: PositiveCount;
  quick: boolean;
  /** `auto` (the default placement), `loader=0,target=1-3`, or null (--no-pin: both sides share the CPUs). */
  cpus: string | null;
  /** Without it, a run in which any measured point had failed requests exits 1. */
  allowErrors: boolean;
  /** Fractions of each point's capacity at which latency is measured with a constant-rate load; [] for none. */
  fixedRate: Fraction[];
  /** Shutdowns measured per signal at the end of the run (what a shutdown loses); 0 for none. */
  shutdownRuns: Count;
  /** New connections per second offered across each of those shutdowns. */
  shutdownRatePerS: NonNegative;
  /** Load from other hosts: `user@host[:port]` for each, over ssh; [] for load from here. */
  loadHosts: string[];
  /** Passed to ssh as `-o option`. */
  sshOptions: string[];
  /** With load hosts: the address here the target listens on and they reach; null for loopback. */
  targetAddress: string | null;
}

/** One measured run, in the same shape whichever loader produced it. */
export interface LoadResult {
  requests: Count;
  durationS: Positive;
  rps: NonNegative;
  bytes: NonNegative;
  errors: Count;
  timeouts: Count;
  non2xx: Count;
  latencyMs: LatencySummary;
  /** autocannon's raw latency histogram (HdrHistogram, compressed base64), to merge runs before summarising. */
  latencyHistogram?: string;
  /** The loader's latency resolution: autocannon records whole milliseconds, wrk microseconds. */
  latencyResolutionMs: Positive;
  /** CPU seconds the load generator used during the run (all its threads). */
  loaderCpuSeconds: NonNegative;
  /** With load from other hosts: each host's share (RPS and requests add up to the totals above). */
  hosts?: HostShare[];
}

/** One load host's part of a run (load from other hosts, see remote-wrk.ts). */
export interface HostShare {
  host: string;
  requests: Count;
  rps: NonNegative;
  latencyMs: LatencySummary;
  /** Cores wrk used there (its CPU time over the run). */
  wrkCores: NonNegative;
  /** Cores busy on that host during the run, all processes (/proc/stat). */
  hostBusyCores: NonNegative;
  cpus: PositiveCount;
  /** When wrk started there (ns since the epoch, that host's clock), or null. */
  startedAtNs: string | null;
}

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  count: Count;
}

/** The facts that decide whether two hosts' figures can be compared. */
export interface HostIdentity {
  cpuModel: string;
  logicalCpus: PositiveCount;
  physicalCores: Count;
  memoryGiB: NonNegative;
  kernel: string;
  governor: string;
  mitigations: Record<string, string>;
}

/** What a benchmark result says about the machine it ran on. */
export interface HostInfo extends HostIdentity {
  fingerprint: string;
  cpuSpeedGHz: number | null;
  memoryBytes: NonNegative;
  os: string;
  arch: string;
  somaxconn: number | null;
  tcpMigrateReq: number | null;
  node: string;
}

/** What a load host is, as probed over ssh before a run. */
export interface LoadHostInfo {
  host: string;
  cpuModel: string;
  cpus: PositiveCount;
  kernel: string;
  wrkVersion: string;
  /** TCP connect time from the load host to the target's address (the lowest of 5), or null. */
  rttMs: NonNegative | null;
  /** The load host's route to the target (`ip route get`), or null. */
  path: string | null;
}

export type Saturated = "loader" | "host" | "server" | "none";

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface RateResult {
  targetRatePerS: NonNegative;
  /** Responses completed per second of the schedule. */
  achievedRatePerS: NonNegative;
  scheduled: Count;
  completed: Count;
  errors: Count;
  /** From the due time to the complete response: what a user would wait. Milliseconds. */
  latencyMs: Percentiles;
  /** From the actual send to the response: what closed-loop tools report (for comparison). Milliseconds. */
  serviceLatencyMs: Percentiles;
  /**
   * From the due time to the actual send, for requests sent as soon as they were dispatched (a
   * connection was free): the client's own delay. Milliseconds.
   */
  sendLagMs: Percentiles;
  /** For requests that waited for one of the connections to come free (the server held them all): that wait (absent in version 1). */
  queueWaitMs?: Percentiles;
  /** CPU seconds this client used. */
  clientCpuSeconds: NonNegative;
  /** Requests per second the client itself did not delay by 1 ms or more: the rate it kept (absent in version 1). */
  keptRatePerS?: NonNegative;
  /** Threads of the client, one schedule split between them (absent in version 1: one). */
  threads?: PositiveCount;
}

export type RequestOutcome = "answered" | "refused" | "lost" | "timedOut";

export interface ShutdownLossRun {
  signal: string;
  ratePerS: NonNegative;
  /** Requests the schedule sent. */
  sent: Count;
  /** Complete responses (any status). */
  answered: Count;
  /** The connection was refused: the client knows it was not served and can retry elsewhere. */
  refused: Count;
  /** Connected (the kernel accepted it), then reset or closed with no response. */
  lost: Count;
  /** Connected, and no response within the timeout. */
  timedOut: Count;
  /** Connections waiting in the LISTEN sockets' accept queues just before the signal. */
  queuedAtSignal: Count;
  /** Changes of /proc/net/netstat counters over the run. */
  listenDrops: Integer;
  listenOverflows: Integer;
  migrateReqSuccess: Integer;
  migrateReqFailure: Integer;
  /** Milliseconds from the signal to the started process's exit; null if it did not exit in time. */
  exitAfterMs: number | null;
  /** The requests by when they were offered, around the signal (absent before version 3). */
  timeline?: Timeline;
}

/**
 * How many workers to give this host, per route, from the measured points
 * only: the smallest count within 5% of the best RPS (the knee), with the
 * scaling efficiency at every count, and what the data says of the source's
 * advice ("match CPU cores"; "performance scales linearly up to CPU core
 * count"). Where the points cannot tell, it says so instead of recommending.
 */
export interface Recommendation {
  route: RouteName;
  /** null when this host cannot tell: `reason` says why. */
  workers: PositiveCount | null;
  reason: string;
  /** workers -> RPS at that count / (count x RPS at 1 worker). */
  efficiency: Record<string, number>;
  /** One line each on the source's advice, as this host measured it. */
  advice: string[];
}
