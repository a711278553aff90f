import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { kitRoot } from "../../common/paths.ts";
import type { RateResult } from "../../results/bench.ts";
import {
  mergedPercentiles,
  type RateHistograms,
  type RateRequest,
  runConstantRate,
} from "./constant-rate.ts";

/** The bundled thread of the client (scripts/build.ts). */
const WORKER = join(kitRoot(), "dist", "runners", "constant-rate-worker.js");

/**
 * The constant-rate client spread over `threads` threads (one per loader CPU): one schedule split
 * between them (each sends every threads-th of the rate on its share of the connections, from one
 * shared start), their raw histograms merged before percentiles are taken. One thread, or no built
 * worker, runs in this thread.
 */
export async function runConstantRateSplit(request: RateRequest, threads: number): Promise<RateResult> {
  const n = Math.max(1, Math.min(threads, request.connections));
  if (n === 1 || !existsSync(WORKER)) return { ...(await runConstantRate(request)), threads: 1 };
  const startAtEpochMs = Date.now() + 100;
  const parts = await Promise.all(
    Array.from({ length: n }, (_, i) => {
      const share: RateRequest = {
        ...request,
        ratePerS: request.ratePerS / n,
        connections: Math.floor(request.connections / n) + (i < request.connections % n ? 1 : 0),
        startAtEpochMs,
      };
      return new Promise<RateResult & { histograms?: RateHistograms }>((resolve, reject) => {
        const worker = new Worker(WORKER, { workerData: share });
        worker.once(
          "message",
          (message: { result?: RateResult & { histograms?: RateHistograms }; error?: string }) => {
            if (message.result) resolve(message.result);
            else reject(new Error(message.error ?? "the client thread failed"));
            void worker.terminate();
          },
        );
        worker.once("error", reject);
      });
    }),
  );
  const sum = (pick: (r: RateResult) => number) => parts.reduce((total, r) => total + pick(r), 0);
  const histograms = parts.map((p) => p.histograms as RateHistograms);
  return {
    targetRatePerS: request.ratePerS,
    achievedRatePerS: sum((r) => r.achievedRatePerS),
    scheduled: sum((r) => r.scheduled),
    completed: sum((r) => r.completed),
    errors: sum((r) => r.errors),
    latencyMs: mergedPercentiles(histograms.map((h) => h.latency)),
    serviceLatencyMs: mergedPercentiles(histograms.map((h) => h.service)),
    sendLagMs: mergedPercentiles(histograms.map((h) => h.lag)),
    queueWaitMs: mergedPercentiles(histograms.map((h) => h.queueWait)),
    clientCpuSeconds: sum((r) => r.clientCpuSeconds),
    keptRatePerS: sum((r) => r.keptRatePerS ?? 0),
    threads: n,
  };
}
