import { addCounts, countByAcceptor, sampleConnections, unattributed } from "../common/probes/connections.ts";
import { type ListeningSocket, procAvailable, readProcess } from "../common/probes/procfs.ts";
import { sleep } from "../common/sleep.ts";
import { backoffMs, type Instance } from "./instance.ts";
import { classifyRoles, type ProcessModel, servingPids } from "./roles.ts";
import { REPLACEMENT_QUIET_FLOOR_MS, ShapeWatch, shapeKey, shapeSignature, shapeStore } from "./settle.ts";

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
  /**
   * What ended the wait: the workers asked for serve (`count`), two layers serve (`nested`), the
   * launch stopped changing with fewer (`quiet`), a later start reached the shape an earlier one with the
   * same options settled in (`known`), the start timeout ran out, or the started process exited.
   */
  settledBy: "count" | "nested" | "quiet" | "known" | "timeout" | "exit" | "no-proc" | "one-process";
  /** How many times the processes were read before it ended (1: the first look decided). */
  looks: number;
}

/**
 * Each instance's processes and listeners as observeWorkers saw them over its life, on its own clock: a
 * second look at a launch that has not changed since it settled ends at once.
 */
const shapeWatches = new WeakMap<Instance, ShapeWatch>();

function shapeWatchOf(instance: Instance): ShapeWatch {
  let watch = shapeWatches.get(instance);
  if (!watch) {
    watch = new ShapeWatch();
    shapeWatches.set(instance, watch);
  }
  return watch;
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
  instance.probes.sent += samples.length;
  instance.probes.unattributed += unattributed(samples);
}

/**
 * Waits until the start has settled (settle.ts): `expected` workers serve (hold a LISTEN socket on the
 * port, or were seen accepting), or two layers serve, or the launch has stopped changing for a quiet
 * period scaled from how long it took to be ready, or (without `settle`) it reached the shape an earlier
 * start with the same options settled in; the manifest's start timeout, counted from launch, bounds it all. Probe
 * connections are sent only while some process serves nothing yet and could be a worker.
 * With `settle` (checks that judge the count or the roles), N workers are not the end while a process
 * that serves nothing yet could become one more (N + 1): it waits until there is none, or until the
 * launch stops changing; without it, N workers end the wait at once (checks that only need the workers
 * up before they stop, kill or load them).
 */
export async function observeWorkers(
  instance: Instance,
  expected: number,
  { settle = true }: { settle?: boolean } = {},
): Promise<Observation> {
  const started = performance.now();
  if (!procAvailable()) {
    const model = classifyRoles(instance.pid, [], []);
    return { model, sockets: [], elapsedMs: 0, settledBy: "no-proc", looks: 0 };
  }
  const key = shapeKey(instance.options);
  const store = shapeStore();
  // The instance's own watch: what earlier looks at it saw (a group's checks share one start) still counts.
  const watch = shapeWatchOf(instance);
  watch.resume();
  // Quiet periods on the launch's own clock: scaled from its own time to ready, and timed without the
  // time it was kept from a CPU (the checks started beside it, a busy host), which delays every worker too.
  const readyMs = instance.ownReadyMs ?? (await instance.ownClockMs());
  let lastProbe = 0;
  let looks = 0;
  for (;;) {
    const seen = await snapshot(instance);
    looks++;
    // The processes just read: the clock's /proc reads need not find them again.
    const now = await instance.ownClockMs(seen.model.rows.map((row) => row.pid));
    watch.see(shapeSignature(seen.model, seen.sockets), now);
    const serving = servingPids(seen.model).length;
    const known = store.get(key);
    const done = (settledBy: Observation["settledBy"], remember = false): Observation => {
      // Settled the slow way: later starts with these options need not wait for it again.
      if (remember) store.put(key, { serving });
      return { ...seen, elapsedMs: performance.now() - started, settledBy, looks };
    };
    const fewer = seen.model.workers.length < expected;
    // Two layers serving decides the verdict (SPAWN-1): no worker still to come can change it.
    if (seen.model.nested.length > 0) return done("nested");
    if (instance.proc.exited) return done("exit");
    // The start timeout as the ready wait counts it: a worker kept from a CPU is not late.
    if ((await instance.startTimeLeft()) <= 0) return done("timeout", fewer);
    // Only for a check that needs the workers up: one that judges the count or the roles settles its own
    // start (a shape learned while the host was very busy, a quiet period that ended before Node's
    // round-robin workers were seen accepting, must not decide SPAWN-1 for a later start).
    if (!settle && known && serving >= known.serving && serving > 0) return done("known");
    if (!fewer) {
      // Enough. A process that serves nothing yet could still become one more worker (N + 1): with
      // `settle`, wait until there is none, or until the launch stops changing (a resource tracker or a
      // fork server never serves).
      if (!settle || seen.model.helpers.length === 0) return done("count");
      if (watch.quiet(now, readyMs)) return done("count", true);
    } else if (watch.quiet(now, readyMs)) return done("quiet", true);
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

export interface Replacement {
  ok: boolean;
  /** The workers serving at the last look, the killed one left out. */
  workers: number[];
  elapsedMs: number;
  /**
   * `replaced`; or why no replacement comes: the started process exited, or the launch stopped changing
   * once the killed worker was gone (settle.ts), or the time given ran out.
   */
  settledBy: "replaced" | "exit" | "quiet" | "timeout";
}

/**
 * Waits until `expected` workers serve again, the killed `victim` not among them, within `timeoutMs`
 * (the start timeout): decided sooner when no replacement can come any more, the started process
 * having exited, or nothing in the launch having changed for the replacement's quiet period since the
 * killed worker was gone.
 */
export async function waitForReplacement(
  instance: Instance,
  expected: number,
  victim: number,
  timeoutMs: number,
  onLook?: () => Promise<void>,
): Promise<Replacement> {
  const started = performance.now();
  const watch = new ShapeWatch();
  // On the clock, not the launch's own (observeWorkers): workers kept busy by a load wait for a CPU,
  // which does not delay the process that should fork a replacement.
  const readyMs = instance.readyMs ?? 0;
  for (;;) {
    await onLook?.();
    const seen = await snapshot(instance);
    const now = performance.now();
    const elapsedMs = now - started;
    const workers = seen.model.workers.filter((pid) => pid !== victim);
    const result = (settledBy: Replacement["settledBy"]): Replacement => ({
      ok: settledBy === "replaced",
      workers,
      elapsedMs,
      settledBy,
    });
    if (workers.length >= expected) return result("replaced");
    // The quiet period starts once the killed worker is gone (a zombie is gone: it serves nothing).
    if (!seen.model.rows.some((row) => row.pid === victim))
      watch.see(shapeSignature(seen.model, seen.sockets), now);
    if (instance.proc.exited) return result("exit");
    if (elapsedMs >= timeoutMs) return result("timeout");
    if (watch.quiet(now, readyMs, REPLACEMENT_QUIET_FLOOR_MS)) return result("quiet");
    await sleep(Math.min(backoffMs(20, elapsedMs), 100, Math.max(0, timeoutMs - elapsedMs)));
  }
}

/** For one-process modes: time to (wrongly) fork, a few probe connections, then the roles. */
export async function observeSingle(instance: Instance): Promise<Observation> {
  const started = performance.now();
  await sleep(SINGLE_SETTLE_MS);
  if (procAvailable()) await probeAcceptors(instance, 8);
  return {
    ...(await snapshot(instance)),
    elapsedMs: performance.now() - started,
    settledBy: "one-process",
    looks: 1,
  };
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
