import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type autocannon from "autocannon";
import type { LatencySummary, LoadResult } from "../../results/bench.ts";
import { decodeHistogram, summarise } from "../latency.ts";
import { pinSelf } from "../placement.ts";
import type { Loader, LoadRequest } from "./types.ts";

/** What autocannon returns with skipAggregateResult (its types describe the aggregated form only). */
interface RawRun {
  latencies?: string;
  totalCompletedRequests: number;
  totalBytes: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  latency?: { p50: number; p90: number; p99: number; p99_9: number; max: number; totalCount: number };
}

/**
 * autocannon, in this process. With one thread the raw latency histogram is
 * kept so that runs can be merged; with worker threads autocannon aggregates
 * by itself and only percentiles are available.
 */
export const autocannonLoader: Loader = {
  name: "autocannon",
  async version() {
    const require = createRequire(import.meta.url);
    const path = require.resolve("autocannon/package.json");
    return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
  },
  async run(request: LoadRequest): Promise<LoadResult> {
    // autocannon runs in this process: pin all of its threads (targets are started with their own set).
    if (request.cpus) await pinSelf(request.cpus);
    const cpuBefore = process.cpuUsage();
    const options = {
      url: request.url,
      connections: request.connections,
      duration: request.durationS,
      pipelining: request.pipelining,
      timeout: 10,
      ...(request.threads > 1 ? { workers: request.threads } : { skipAggregateResult: true }),
    };
    // Loaded here, not at import: every command of the CLI imports this module, and autocannon with
    // its dependencies took 0.15 CPU s of each start, the conformance command's included.
    const { default: run } = await import("autocannon");
    const raw = (await run(options as autocannon.Options)) as unknown as RawRun;
    const cpu = process.cpuUsage(cpuBefore);
    const latencyMs: LatencySummary = raw.latencies
      ? summarise(decodeHistogram(raw.latencies))
      : {
          p50: raw.latency?.p50 ?? Number.NaN,
          p90: raw.latency?.p90 ?? Number.NaN,
          p99: raw.latency?.p99 ?? Number.NaN,
          p999: raw.latency?.p99_9 ?? Number.NaN,
          max: raw.latency?.max ?? Number.NaN,
          count: raw.latency?.totalCount ?? 0,
        };
    const requests =
      raw.totalCompletedRequests ?? (raw as unknown as { requests: { total: number } }).requests.total;
    return {
      requests,
      durationS: raw.duration,
      rps: requests / raw.duration,
      bytes: raw.totalBytes ?? 0,
      errors: raw.errors,
      timeouts: raw.timeouts,
      non2xx: raw.non2xx,
      latencyMs,
      ...(raw.latencies ? { latencyHistogram: raw.latencies } : {}),
      latencyResolutionMs: 1,
      loaderCpuSeconds: (cpu.user + cpu.system) / 1e6,
    };
  },
};
