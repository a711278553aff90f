import type { LatencySummary } from "../latency.ts";
import type { LoaderName } from "../options.ts";

export interface LoadRequest {
  url: string;
  connections: number;
  durationS: number;
  pipelining: number;
  threads: number;
  /** Run the load generator on these CPUs only (taskset); undefined: anywhere. */
  cpus?: readonly number[] | undefined;
}

/** One measured run, in the same shape whichever loader produced it. */
export interface LoadResult {
  requests: number;
  durationS: number;
  rps: number;
  bytes: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  latencyMs: LatencySummary;
  /** autocannon's raw latency histogram (HdrHistogram, compressed base64), to merge runs before summarising. */
  latencyHistogram?: string;
  /** The loader's latency resolution: autocannon records whole milliseconds, wrk microseconds. */
  latencyResolutionMs: number;
  /** CPU seconds the load generator used during the run (all its threads). */
  loaderCpuSeconds: number;
  /** With load from other hosts: each host's share (RPS and requests add up to the totals above). */
  hosts?: HostShare[];
}

export interface Loader {
  name: LoaderName;
  version(): Promise<string>;
  run(request: LoadRequest): Promise<LoadResult>;
}

/** One load host's part of a run (load from other hosts, see remote-wrk.ts). */
export interface HostShare {
  host: string;
  requests: number;
  rps: number;
  latencyMs: LatencySummary;
  /** Cores wrk used there (its CPU time over the run). */
  wrkCores: number;
  /** Cores busy on that host during the run, all processes (/proc/stat). */
  hostBusyCores: number;
  cpus: number;
  /** When wrk started there (ns since the epoch, that host's clock), or null. */
  startedAtNs: string | null;
}
