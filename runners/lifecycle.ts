import { writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { availableParallelism, release } from "node:os";
import type {
  LifecycleEventId,
  LifecycleEventResult,
  LifecycleResult,
  LifecycleRun,
  Survivor,
} from "../results/lifecycle.ts";
import { LIFECYCLE_SCHEMA_VERSION } from "../results/lifecycle.ts";
import { bucketTimeline } from "../results/timeline.ts";
import { createCgroup, joinCgroupPrefix, type LaunchCgroup } from "../targets/cgroup.ts";
import { findLine, LINES } from "../targets/console-lines.ts";
import type { TargetDefinition } from "../targets/definition.ts";
import { type Delivery, deliver } from "../targets/deliver.ts";
import { answeredGet, Instance, pollUntil } from "../targets/instance.ts";
import { observeWorkers, snapshot } from "../targets/observe.ts";
import { loadAcross } from "../targets/shutdown-loss.ts";

/** One way production stops, kills or hangs a server. */
interface EventSpec {
  id: LifecycleEventId;
  label: string;
  tool: string;
  stops: boolean;
  /** What happens at the event; `worker` is a worker's pid, `primary` the primary's. */
  act(
    instance: Instance,
    ctx: { worker: number; primary: number; cgroup?: LaunchCgroup },
  ): Promise<string | undefined>;
}

const signalEvent =
  (signal: NodeJS.Signals, delivery: Delivery) =>
  async (instance: Instance, ctx: { cgroup?: LaunchCgroup }) =>
    (await deliver(instance, signal, delivery, ctx.cgroup)).how;

/** How long a worker stays stopped in the hang event. */
export const HANG_MS = 3_000;
/** The event comes this far into the load; a stop's load ends this long after the stop is over. */
const EVENT_AT_MS = 1_000;
const AFTER_STOP_MS = 200;

export const LIFECYCLE_EVENTS: readonly EventSpec[] = [
  {
    id: "sigint-process",
    label: "SIGINT to the started process",
    tool: "kill -INT PID",
    stops: true,
    act: signalEvent("SIGINT", "process"),
  },
  {
    id: "sigterm-process",
    label: "SIGTERM to the started process",
    tool: "docker stop, Kubernetes",
    stops: true,
    act: signalEvent("SIGTERM", "process"),
  },
  {
    id: "sigint-group",
    label: "SIGINT to the process group",
    tool: "a terminal's Ctrl+C",
    stops: true,
    act: signalEvent("SIGINT", "group"),
  },
  {
    id: "sigterm-group",
    label: "SIGTERM to the process group",
    tool: "kill -TERM -PGID",
    stops: true,
    act: signalEvent("SIGTERM", "group"),
  },
  {
    id: "sigterm-service",
    label: "SIGTERM to every process at once",
    tool: "systemctl stop",
    stops: true,
    act: signalEvent("SIGTERM", "service"),
  },
  {
    id: "worker-kill",
    label: "a worker killed (SIGKILL)",
    tool: "the OOM killer, a crash",
    stops: false,
    act: async (_instance, { worker }) => {
      process.kill(worker, "SIGKILL");
      return undefined;
    },
  },
  {
    id: "worker-hang",
    label: `a worker stopped for ${HANG_MS / 1000} s (SIGSTOP, then SIGCONT)`,
    tool: "a worker stuck in a loop or a lock",
    stops: false,
    act: async (_instance, { worker }) => {
      process.kill(worker, "SIGSTOP");
      setTimeout(() => {
        try {
          process.kill(worker, "SIGCONT");
        } catch {
          // replaced meanwhile
        }
      }, HANG_MS).unref();
      return undefined;
    },
  },
  {
    id: "primary-kill",
    label: "the primary killed (SIGKILL)",
    tool: "the OOM killer, a crash",
    stops: true,
    act: async (_instance, { primary }) => {
      process.kill(primary, "SIGKILL");
      return undefined;
    },
  },
];

export interface LifecycleOptions {
  workers: number;
  ratePerS: number;
  runs: number;
  /** A request not answered within this is counted hung. */
  hungAfterMs: number;
  /** Also measure the shutdown and worker-kill events with net.ipv4.tcp_migrate_req set to 1 (root). */
  migrateReq: boolean;
  events: readonly LifecycleEventId[];
}

export const LIFECYCLE_DEFAULTS: LifecycleOptions = {
  workers: 2,
  ratePerS: 2_000,
  runs: 1,
  hungAfterMs: 1_000,
  migrateReq: true,
  events: LIFECYCLE_EVENTS.map((e) => e.id),
};

const MIGRATE_REQ = "/proc/sys/net/ipv4/tcp_migrate_req";

async function readMigrateReq(): Promise<number | null> {
  const text = await readFile(MIGRATE_REQ, "utf8").catch(() => undefined);
  return text === undefined ? null : Number(text.trim());
}

/** Sets tcp_migrate_req for the length of `body`, restoring the old value on every path (exit included). */
async function withMigrateReq<T>(value: number, body: () => Promise<T>): Promise<T | undefined> {
  const old = await readMigrateReq();
  if (old === null) return undefined;
  const restore = () => {
    try {
      writeFileSync(MIGRATE_REQ, String(old));
    } catch {
      // not ours to restore
    }
  };
  try {
    await writeFile(MIGRATE_REQ, String(value));
  } catch {
    return undefined; // not root: the variant is not measured
  }
  process.once("exit", restore);
  try {
    return await body();
  } finally {
    await writeFile(MIGRATE_REQ, String(old)).catch(() => undefined);
    process.removeListener("exit", restore);
  }
}

interface EventEvents {
  onRun?(event: EventSpec, run: number, runs: number, migrateReq: number | null): void;
}

/** What the runs so far saw of the target: set once a start showed no worker below the started process. */
interface Seen {
  oneProcess?: string;
}

async function measureOnce(
  target: TargetDefinition,
  spec: EventSpec,
  options: LifecycleOptions,
  seen: Seen,
): Promise<{ run: LifecycleRun; how: string | undefined } | { notApplicable: string }> {
  // A worker event needs a worker: killing or stopping the one process that serves is another event.
  if (seen.oneProcess && !spec.stops) return { notApplicable: seen.oneProcess };
  let cgroup: LaunchCgroup | undefined;
  let how: string | undefined;
  if (spec.id === "sigterm-service") {
    const made = createCgroup(`${process.pid}-${Date.now().toString(36)}`);
    if ("unavailable" in made) how = `every process carrying the launch's tag (${made.unavailable})`;
    else cgroup = made;
  }
  const instance = await Instance.start(target, {
    workers: options.workers,
    ...(cgroup ? { prefix: joinCgroupPrefix(cgroup.dir) } : {}),
  });
  try {
    // Once a start showed one process serving, waiting out the start timeout for workers again would only cost time.
    const { model } = seen.oneProcess
      ? await snapshot(instance)
      : await observeWorkers(instance, options.workers, { settle: false });
    const worker = model.workers[0];
    if (worker === undefined) {
      seen.oneProcess = "one process serves, no worker below it";
      if (!spec.stops) return { notApplicable: seen.oneProcess };
    }
    const mark = instance.outputMark();
    let acted: Promise<string | undefined> = Promise.resolve(undefined);
    let recovery: Promise<number | null> = Promise.resolve(null);
    // A stop is watched to its end: until 0.2 s after the exit and the last listener on the port (workers
    // that outlive their primary can still reset what is queued on them), the stop timeout at most.
    const durationMs = spec.stops
      ? EVENT_AT_MS + target.stopTimeoutMs + AFTER_STOP_MS
      : spec.id === "worker-hang"
        ? EVENT_AT_MS + HANG_MS + 1_000
        : 3_000;
    const load = await loadAcross(instance, instance.host, target.readyPath, {
      ratePerS: options.ratePerS,
      durationMs,
      eventAtMs: EVENT_AT_MS,
      timeoutMs: options.hungAfterMs,
      ...(spec.stops
        ? { endAfter: { settled: instance.proc.exit, ms: AFTER_STOP_MS }, watchListeners: true }
        : {}),
      event: () => {
        acted = spec.act(instance, {
          worker: worker ?? model.primaryPid,
          primary: model.primaryPid,
          ...(cgroup ? { cgroup } : {}),
        });
        if (!spec.stops) {
          const started = performance.now();
          // Recovered when the workers asked for serve again, the one hit not among them (it was replaced).
          recovery = pollUntil(
            async () => (await snapshot(instance)).model.workers.filter((pid) => pid !== worker),
            (workers) => workers.length >= options.workers,
            target.startTimeoutMs,
            20,
          ).then((polled) => (polled.ok ? Math.round(performance.now() - started) : null));
        }
      },
    });
    how ??= await acted;
    const recoveryMs = await recovery;
    let exit: string | null = null;
    let exitMs: number | undefined;
    let leftRunning: Survivor[] = [];
    let portAnsweredAfter: boolean | null = null;
    if (spec.stops) {
      const left = () => Math.max(0, target.stopTimeoutMs - (performance.now() - load.eventAt));
      // As observed: with a launcher above the primary, the started process is not the one killed.
      const exited = await instance.waitExit(left());
      exit = exited ? (exited.signal ? `killed by ${exited.signal}` : `exit code ${exited.code}`) : null;
      if (exited) exitMs = Math.max(0, exited.atMs - load.eventAtLaunchMs);
      // Output to a pipe may be block-buffered: read it to its end before looking for the shutdown line.
      if (exited) await instance.proc.outputSettled;
      const gone = await pollUntil(
        () => instance.proc.liveMembers(),
        (alive) => alive.length === 0,
        left(),
      );
      const roleOf = new Map(model.rows.map((row) => [row.pid, row.role]));
      leftRunning = gone.value.map((p) => ({
        pid: p.pid,
        role: roleOf.get(p.pid) ?? "not seen before",
        cmdline: p.cmdline.slice(0, 120),
      }));
      if (leftRunning.length > 0)
        portAnsweredAfter = await answeredGet(instance.port, target.readyPath, 3).then(
          () => true,
          () => false,
        );
    }
    const shutdownLine = findLine(instance.outputSince(mark), LINES.shutdown) !== undefined;
    return {
      how,
      run: {
        sent: load.sent,
        answered: load.counts.answered,
        refused: load.counts.refused,
        lost: load.counts.lost,
        hung: load.counts.timedOut,
        recoveryMs,
        exit,
        shutdownLine,
        leftRunning,
        portAnsweredAfter,
        tcpMigrateReq: await readMigrateReq(),
        timeline: bucketTimeline(load.requests, {
          ...(exitMs === undefined ? {} : { exitMs }),
          ...(load.listeners?.goneMs === undefined || load.listeners.goneMs === null
            ? {}
            : { listenersClosedMs: Math.max(0, load.listeners.goneMs) }),
          ...(recoveryMs === null ? {} : { recoveredMs: recoveryMs }),
        }),
      },
    };
  } finally {
    await instance.dispose();
    cgroup?.remove();
  }
}

/** Runs every event `runs` times against `target` and returns the matrix; never prints. */
export async function runLifecycle(
  target: TargetDefinition,
  options: LifecycleOptions,
  kitVersion: string,
  events: EventEvents = {},
): Promise<LifecycleResult> {
  const result: LifecycleResult = {
    schemaVersion: LIFECYCLE_SCHEMA_VERSION,
    kind: "lifecycle",
    kitVersion,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    complete: false,
    target: { name: target.name, manifest: target.path },
    host: { kernel: release(), cpus: availableParallelism(), tcpMigrateReq: await readMigrateReq() },
    options: {
      workers: options.workers,
      ratePerS: options.ratePerS,
      runs: options.runs,
      hungAfterMs: options.hungAfterMs,
      migrateReq: options.migrateReq,
    },
    events: [],
  };
  const seen: Seen = {};
  const measure = async (
    spec: EventSpec,
    label: string,
    migrate: number | null,
  ): Promise<LifecycleEventResult> => {
    const runs: LifecycleRun[] = [];
    let how: string | undefined;
    for (let i = 0; i < options.runs; i++) {
      events.onRun?.(spec, i + 1, options.runs, migrate);
      const once = await measureOnce(target, spec, options, seen);
      if ("notApplicable" in once) {
        return {
          id: spec.id,
          label,
          tool: spec.tool,
          stops: spec.stops,
          notApplicable: once.notApplicable,
          runs: [],
        };
      }
      how ??= once.how;
      runs.push(once.run);
    }
    return { id: spec.id, label, tool: spec.tool, stops: spec.stops, ...(how ? { how } : {}), runs };
  };
  for (const spec of LIFECYCLE_EVENTS.filter((e) => options.events.includes(e.id))) {
    result.events.push(await measure(spec, spec.label, null));
  }
  // With tcp_migrate_req a closing listener's queue moves to the others: measured where the kit may set it.
  if (options.migrateReq && (result.host.tcpMigrateReq ?? 1) === 0) {
    for (const id of ["sigterm-process", "worker-kill"] as const) {
      const spec = LIFECYCLE_EVENTS.find((e) => e.id === id);
      if (!spec || !options.events.includes(id)) continue;
      const measured = await withMigrateReq(1, () => measure(spec, `${spec.label}, tcp_migrate_req=1`, 1));
      if (measured) result.events.push(measured);
    }
  }
  result.complete = true;
  result.finishedAt = new Date().toISOString();
  return result;
}
