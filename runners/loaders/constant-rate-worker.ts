import { parentPort, workerData } from "node:worker_threads";
import { type RateRequest, runConstantRate } from "./constant-rate.ts";

/** One thread of the split constant-rate client: its share of the schedule, its histograms back. */
void runConstantRate({ ...(workerData as RateRequest), histograms: true }).then(
  (result) => parentPort?.postMessage({ result }),
  (error: unknown) => parentPort?.postMessage({ error: String(error) }),
);
