import type { Saturated } from "../results/bench.ts";
import type { WarningCode } from "../results/warnings.ts";

/** Thresholds of the guards, in one place so that the JSON can cite them. */
export const GUARD_THRESHOLDS = {
  /** The loader used at least this share of the cores its threads can use. */
  loaderShare: 0.85,
  /** The host's CPUs were at least this busy... */
  hostShare: 0.85,
  /** ...with the loader using at least this many cores of it. */
  loaderCoresWhenHostBusy: 0.25,
  /** Coefficient of variation above which a point is noisy. */
  cv: 0.1,
  /** A waiting route reached this share of what the load's concurrency allows. */
  concurrencyShare: 0.9,
} as const;

export interface GuardInput {
  /** Load from other hosts: client-bound is judged on their CPUs; null when the loader runs here. */
  remoteLoad?: { saturated: boolean } | null;
  logicalCpus: number;
  /** The CPU sets of each side when pinned (see placement.ts); null when they share the host. */
  placement: { loaderCpus: number; targetCpus: number } | null;
  workers: number;
  loaderThreads: number;
  /** Medians over the runs, in cores (CPU seconds per wall second). */
  loaderCores: number;
  serverCores: number;
  hostBusyCores: number;
  failures: number;
  /** NaN with a single run. */
  cv: number;
  /** Median RPS of the point. */
  rps: number;
  /** For a route that waits: the most a closed loop can drive (connections / wait, Little's law); else null. */
  concurrencyCapRps: number | null;
}

/**
 * Pure: which warnings a point earns, and which side ran out of CPU. When the
 * sides are pinned to their own CPUs, each is judged on its own set: the point
 * is client-bound only if the loader's CPUs were saturated, oversubscribed only
 * if the workers outnumber the target's CPUs.
 */
export function guard(input: GuardInput): { flags: WarningCode[]; saturated: Saturated } {
  const t = GUARD_THRESHOLDS;
  const pinned = input.placement;
  const loaderCpus = pinned ? Math.min(input.loaderThreads, pinned.loaderCpus) : input.loaderThreads;
  const targetCpus = pinned ? pinned.targetCpus : input.logicalCpus;
  const remote = input.remoteLoad ?? null;
  const loaderSaturated = remote ? remote.saturated : input.loaderCores >= t.loaderShare * loaderCpus;
  const hostSaturated =
    !remote &&
    !pinned &&
    input.hostBusyCores >= t.hostShare * input.logicalCpus &&
    input.loaderCores >= t.loaderCoresWhenHostBusy;
  const serverSaturated =
    input.serverCores >= t.loaderShare * Math.min(input.workers, remote ? input.logicalCpus : targetCpus);
  const flags: WarningCode[] = [];
  if (loaderSaturated || hostSaturated) flags.push("client-bound");
  const oversubscribed = pinned
    ? input.workers > pinned.targetCpus
    : remote
      ? input.workers > input.logicalCpus
      : input.workers + input.loaderThreads > input.logicalCpus;
  // A route that waits can use more workers than CPUs (that is what it measures), unless the CPUs ran out.
  if (oversubscribed && (input.concurrencyCapRps === null || serverSaturated)) flags.push("oversubscribed");
  if (input.failures > 0) flags.push("errors");
  if (input.cv > t.cv) flags.push("noisy");
  if (input.concurrencyCapRps !== null && input.rps >= t.concurrencyShare * input.concurrencyCapRps)
    flags.push("concurrency-bound");
  const saturated: Saturated = loaderSaturated
    ? "loader"
    : hostSaturated
      ? "host"
      : serverSaturated
        ? "server"
        : "none";
  return { flags, saturated };
}
