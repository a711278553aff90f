import { sleep } from "../../common/launch.ts";
import { type ListeningSocket, type ProcessInfo, procAvailable } from "../../common/probes/procfs.ts";
import type { CheckContext } from "./check.ts";
import { type Instance, pollUntil } from "./instance.ts";
import { ownership } from "./verify.ts";

/** After the workers have appeared, how long their sockets get to show up before a check judges them. */
export const SETTLE_MS = 2_000;
/** Once at least N processes are seen, how long to wait for stragglers before counting (catches N+1). */
const STRAGGLER_MS = 300;

/**
 * Waits until at least `expected` live processes are below the started one
 * (within the start timeout), lets stragglers appear, and returns the count
 * then: a wrong count is seen without waiting for the whole timeout.
 */
export async function settledWorkers(
  instance: Instance,
  expected: number,
): Promise<{ workers: ProcessInfo[]; elapsedMs: number }> {
  // Without /proc nothing can be counted: do not wait for what cannot be seen.
  if (!procAvailable()) return { workers: [], elapsedMs: 0 };
  const left = Math.max(0, instance.manifest.startTimeoutMs - instance.proc.elapsedMs());
  const polled = await pollUntil(
    () => instance.workers(),
    (list) => list.length >= expected,
    left,
  );
  if (polled.ok) await sleep(STRAGGLER_MS);
  return { workers: polled.ok ? await instance.workers() : polled.value, elapsedMs: polled.elapsedMs };
}

/** Polls the LISTEN sockets until each worker holds one of its own, for at most SETTLE_MS. */
export async function settledListeners(
  instance: Instance,
  workers: readonly number[],
): Promise<ListeningSocket[]> {
  const polled = await pollUntil(
    () => instance.listeners(),
    (sockets) => {
      const own = ownership(sockets, workers, instance.pid);
      return own.workersWithout.length === 0 && own.shared.length === 0 && sockets.length >= workers.length;
    },
    SETTLE_MS,
  );
  return polled.value;
}

/** For one-process modes: give an implementation time to (wrongly) fork before judging that it did not. */
export async function settledSingle(
  instance: Instance,
): Promise<{ workers: ProcessInfo[]; sockets: ListeningSocket[] }> {
  await sleep(500);
  return { workers: await instance.workers(), sockets: await instance.listeners() };
}

/**
 * The common start of most checks: the target with `workers` workers, ready,
 * its worker processes counted and their LISTEN sockets settled.
 */
export async function startSettled(
  ctx: Pick<CheckContext, "start">,
  workers: number,
): Promise<{ instance: Instance; workers: ProcessInfo[]; workerPids: number[]; sockets: ListeningSocket[] }> {
  const instance = await ctx.start({ workers });
  const settled = await settledWorkers(instance, workers);
  const workerPids = settled.workers.map((w) => w.pid);
  const sockets = await settledListeners(instance, workerPids);
  return { instance, workers: settled.workers, workerPids, sockets };
}
