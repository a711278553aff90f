import cluster, { type Worker } from "node:cluster";
import { createServer } from "node:net";
import { RuntimeError } from "../../common/errors.ts";
import { renderBanner } from "./banner.ts";
import { describeExit, messages } from "./messages.ts";
import type { RunOptions } from "./options.ts";
import type { Seams } from "./seams.ts";
import { bindError } from "./serve.ts";
import {
  INSTANCE_ENV,
  isWorkerMessage,
  LIVENESS,
  PING,
  STOPPING,
  WORKER_CONFIG_ENV,
  WORKER_V8_FLAGS,
  type WorkerConfig,
} from "./worker-config.ts";

export interface PrimaryInfo {
  title: string;
  handlers: number;
}

/**
 * The primary forks the workers and supervises them; it never binds the port
 * and never sees a request. Worker pids are tracked here because after
 * `disconnect()` (or with reusePort) `cluster.workers` no longer reflects the
 * processes that are still alive.
 */
export async function runPrimary(options: RunOptions, info: PrimaryInfo, seams: Seams): Promise<void> {
  const port = options.port === 0 ? await findFreePort(options.host) : options.port;
  const config: WorkerConfig = { host: options.host, port, debug: options.debug, graceMs: options.graceMs };
  const env = {
    [WORKER_CONFIG_ENV]: JSON.stringify(config),
    // Told apart from another instance's workers under the same reaper, whose primary may have had this pid.
    // Math.random, not node:crypto: every process of the bundle would load crypto (10 ms of CPU each) for
    // a value that need not be secret.
    [INSTANCE_ENV]: `${process.pid}-${Math.random().toString(16).slice(2, 10)}`,
  };
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);

  const alive = new Map<number, Worker>();
  /** The workers told to stop: the primary exits once they are all gone. */
  const told = new Set<number>();
  const listening = new Set<number>();
  /** When each listening worker last answered a ping (Date.now()). */
  const lastHeard = new Map<number, number>();
  const deathTimes: number[] = [];
  const pendingRespawns = new Set<NodeJS.Timeout>();
  let ready = false;
  let stopping = false;
  /** One line per instance: the reason is the same for every worker (no python3, no CAP_BPF...). */
  let toldUnready = false;
  let exitCode = 0;

  const fork = () => {
    const worker = cluster.fork(env);
    const pid = worker.process.pid;
    if (pid !== undefined) alive.set(pid, worker);
    worker.on("message", (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      if (message.type === "pong") {
        lastHeard.set(message.pid, Date.now());
        return;
      }
      if (message.type === "fatal") return fail(message.message);
      if (message.type === "unready-close") {
        if (!toldUnready) err(messages.unreadyClose(message.pid, message.message));
        toldUnready = true;
        return;
      }
      listening.add(message.pid);
      lastHeard.set(message.pid, Date.now());
      if (ready) err(messages.workerReplaced(message.pid));
      else if (listening.size === options.workers) {
        ready = true;
        // Liveness is judged from now on (see the liveness timer): each worker's silence counts from here.
        for (const listener of listening) lastHeard.set(listener, Date.now());
        out(
          renderBanner({
            title: info.title,
            url: `http://${options.host}:${port}`,
            fields: [
              ["Handlers", info.handlers],
              ["Processes", options.workers],
              ["Primary PID", process.pid],
            ],
          }),
        );
      }
    });
    worker.on("exit", (code, signal) => {
      if (pid === undefined) return;
      alive.delete(pid);
      listening.delete(pid);
      lastHeard.delete(pid);
      if (stopping) {
        // A worker stopped by our SIGTERM before it installed its handler is fine; anything else is not clean.
        if (code !== 0 && signal !== "SIGTERM") exitCode = 1;
        told.delete(pid);
        if (told.size === 0) process.exit(seams.exitCode(exitCode));
        return;
      }
      if (!ready) return fail(`worker ${pid} exited during start-up (${describeExit(code, signal)})`);
      const now = Date.now();
      deathTimes.push(now);
      const delay = seams.respawnDelayMs(deathTimes, now);
      if (delay === undefined) {
        err(messages.workerExited(pid, describeExit(code, signal)));
        return;
      }
      err(messages.workerExited(pid, describeExit(code, signal), delay));
      const timer = setTimeout(() => {
        pendingRespawns.delete(timer);
        fork();
      }, delay);
      pendingRespawns.add(timer);
    });
  };

  /** Start-up failed: one line, stop what was started, exit 1. */
  const fail = (message: string) => {
    if (stopping) return;
    stopping = true;
    exitCode = 1;
    err(`error: ${message}`);
    for (const pid of alive.keys()) {
      told.add(pid);
      signal(pid, "SIGKILL");
    }
    if (alive.size === 0) process.exit(exitCode);
  };

  const shutdown = () => {
    if (stopping) {
      // A second Ctrl+C: do not wait for the drain.
      for (const pid of alive.keys()) signal(pid, "SIGKILL");
      exitCode = 1;
      return;
    }
    stopping = true;
    for (const timer of pendingRespawns) clearTimeout(timer);
    for (const pid of seams.stopWorkers([...alive.keys()])) told.add(pid);
    const printShutdownLines = () => {
      for (const line of seams.lines.shutdown) out(`\n${line}`);
    };
    const forward = () => {
      // The word first (a worker that has it readies its listener for a whole-instance stop), and each
      // worker's SIGTERM once its word is in the worker's pipe: a worker reads what waits there before it
      // decides (worker.ts), so the order holds however late either process runs on a busy host. (A stop
      // in CI beside CPU hogs lost 249 connections with both workers handing their queues on instead of
      // refusing, TCPMigrateReqFailure 249: they had not heard the word in time.)
      let untold = told.size;
      const sent = () => {
        untold--;
        // The line once the workers are told: whoever acts on it finds them stopping.
        if (untold === 0) printShutdownLines();
      };
      for (const pid of told) {
        const term = () => {
          signal(pid, "SIGTERM");
          sent();
        };
        const worker = alive.get(pid);
        if (worker?.isConnected()) worker.send(STOPPING, term);
        else term();
      }
    };
    if (told.size === 0) {
      printShutdownLines();
      process.exit(seams.exitCode(exitCode));
    }
    seams.passStop(forward, [...told]);
    setTimeout(() => {
      const late = [...alive.keys()];
      err(messages.killedAfterGrace(late, options.graceMs));
      exitCode = 1;
      for (const pid of late) signal(pid, "SIGKILL");
    }, options.graceMs).unref();
  };

  // A worker that stops answering (stopped, or stuck in a loop) still holds its SO_REUSEPORT socket, and
  // the kernel keeps handing it a share of new connections that wait unanswered: replace it.
  //
  // Not before the instance is ready: a worker kept from its CPU while its siblings start (a host busy
  // with other programs) is not hung, and a worker killed during start-up ends the start with exit 1.
  // Whether a start takes too long is for whoever started it to decide (a start timeout).
  const liveness = setInterval(() => {
    if (stopping || !ready) return;
    const now = Date.now();
    for (const [pid, worker] of alive) {
      if (!listening.has(pid)) continue;
      const heard = lastHeard.get(pid) ?? now;
      if (now - heard >= LIVENESS.hungAfterMs) {
        err(messages.workerHung(pid, now - heard));
        lastHeard.delete(pid);
        signal(pid, "SIGKILL"); // works on a stopped process too; its exit event respawns it
        continue;
      }
      // isConnected() is still true for a worker that died since the primary last read its channel (a
      // host that paused the primary, then resumed it: its timers run before it reads the channel's end).
      // The write fails with EPIPE; without a callback that error is thrown, and it ended the primary.
      // The worker's exit event follows, and replaces it.
      if (worker.isConnected()) worker.send(PING, () => {});
    }
  }, LIVENESS.pingEveryMs);
  liveness.unref();

  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  for (const line of seams.lines.start(options.workers)) out(line);
  cluster.setupPrimary({ execArgv: [...process.execArgv, ...WORKER_V8_FLAGS] });
  for (let i = 0; i < seams.forkCount(options.workers); i++) fork();
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone: its exit event will follow.
  }
}

/**
 * Port 0 cannot be shared: each worker would get its own ephemeral port. So
 * the primary asks the OS for a free port once, releases it, and hands that
 * number to every worker (SPEC.md, "SO_REUSEPORT: what the contract implies").
 */
function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => reject(bindError(error, host, 0)));
    probe.listen({ host, port: 0 }, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new RuntimeError(`cannot find a free port on ${host}`)),
      );
    });
  });
}
