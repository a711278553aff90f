import { addCounts, countByAcceptor, sampleConnections } from "../common/probes/connections.ts";
import { type ListeningSocket, procAvailable, readProcess } from "../common/probes/procfs.ts";
import { sleep } from "../common/sleep.ts";
import { backoffMs, type Instance } from "./instance.ts";
import { classifyRoles, type ProcessModel } from "./roles.ts";

/** Once N workers are seen, how long to wait for stragglers before counting (catches N+1). */
const STRAGGLER_MS = 300;
/** Between two looks at the processes while waiting for the workers. */
const POLL_MS = 50;
/** Between two batches of probe connections (only sent while workers are missing). */
const PROBE_EVERY_MS = 250;
/** Before judging a one-process mode: time for an implementation to (wrongly) fork. */
const SINGLE_SETTLE_MS = 500;

export interface Observation {
  model: ProcessModel;
  sockets: ListeningSocket[];
  /** Milliseconds spent waiting. */
  elapsedMs: number;
}

/** The launch's processes, sockets and roles as they are now. */
export async function snapshot(
  instance: Instance,
): Promise<{ model: ProcessModel; sockets: ListeningSocket[] }> {
  const [started, below, sockets] = await Promise.all([
    readProcess(instance.pid),
    instance.descendants(),
    instance.listeners(),
  ]);
  const tree = started && started.state !== "Z" ? [started, ...below] : below;
  return { model: classifyRoles(instance.pid, tree, sockets, instance.accepted), sockets };
}

/** Sends a few connections and records who accepted them: how workers without a socket of their own are found. */
export async function probeAcceptors(instance: Instance, count: number): Promise<void> {
  const samples = await sampleConnections(instance.host, instance.port, instance.manifest.readyPath, count, {
    concurrency: Math.min(count, 8),
    timeoutMs: 2_000,
    watcher: await instance.acceptWatcher(),
  });
  addCounts(instance.accepted, countByAcceptor(samples));
}

/**
 * Waits until `expected` workers serve (hold a LISTEN socket on the port, or
 * were seen accepting), within the manifest's start timeout counted from launch,
 * so that slow starters get the time their manifest gives them. Probe
 * connections are sent only while workers are missing and some process could
 * be one. A wrong count is seen without waiting for the whole timeout.
 * With `settle` (checks that judge the count or the roles) it then waits for
 * stragglers (N+1) and looks again; without it, it returns as soon as N serve
 * (checks that only need the workers up before they stop, kill or load them).
 */
export async function observeWorkers(
  instance: Instance,
  expected: number,
  { settle = true }: { settle?: boolean } = {},
): Promise<Observation> {
  const started = performance.now();
  if (!procAvailable()) {
    const model = classifyRoles(instance.pid, [], []);
    return { model, sockets: [], elapsedMs: 0 };
  }
  let lastProbe = 0;
  for (;;) {
    let seen = await snapshot(instance);
    // Two layers serving decides the verdict (SPAWN-1): no worker still to come can change it.
    const enough = seen.model.workers.length >= expected || seen.model.nested.length > 0;
    const timeLeft = instance.manifest.startTimeoutMs - instance.proc.elapsedMs();
    if (enough || timeLeft <= 0 || instance.proc.exited) {
      if (enough && settle) {
        await sleep(STRAGGLER_MS);
        if (seen.model.helpers.length > 0 && seen.sockets.length > 0)
          await probeAcceptors(instance, 2 * expected);
        seen = await snapshot(instance);
      }
      return { ...seen, elapsedMs: performance.now() - started };
    }
    // Only a process that serves nothing yet could be a worker that accepts through another's socket.
    if (
      seen.model.helpers.length > 0 &&
      seen.sockets.length > 0 &&
      performance.now() - lastProbe >= PROBE_EVERY_MS
    ) {
      lastProbe = performance.now();
      await probeAcceptors(instance, 2 * expected);
      continue;
    }
    await sleep(backoffMs(POLL_MS, performance.now() - started));
  }
}

/** For one-process modes: time to (wrongly) fork, a few probe connections, then the roles. */
export async function observeSingle(instance: Instance): Promise<Observation> {
  const started = performance.now();
  await sleep(SINGLE_SETTLE_MS);
  if (procAvailable()) await probeAcceptors(instance, 8);
  return { ...(await snapshot(instance)), elapsedMs: performance.now() - started };
}

/** The common start of most checks: the target with `workers` workers, ready, its processes classified. */
export async function startObserved(
  start: (options: { workers: number }) => Promise<Instance>,
  workers: number,
  options: { settle?: boolean } = {},
): Promise<{ instance: Instance } & Observation> {
  const instance = await start({ workers });
  return { instance, ...(await observeWorkers(instance, workers, options)) };
}
