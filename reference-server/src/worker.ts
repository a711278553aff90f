import cluster from "node:cluster";
import { errorLine } from "../../common/errors.ts";
import { type DrainMode, prepareListenerClose, unreadyReason } from "./drain-listener.ts";
import type { RouteHandler } from "./routes.ts";
import type { Seams } from "./seams.ts";
import { listen } from "./serve.ts";
import {
  STOPPING_WORD_WAIT_MS,
  WORKER_CONFIG_ENV,
  type WorkerConfig,
  type WorkerMessage,
} from "./worker-config.ts";

/**
 * A cluster worker: binds its own SO_REUSEPORT socket (the primary holds none),
 * reports readiness, answers the primary's pings, and drains on SIGTERM. If the
 * primary dies, the IPC channel closes and the worker drains and exits (within
 * the grace period), so no worker outlives it.
 */
export async function runWorker(routes: ReadonlyMap<string, RouteHandler>, seams: Seams): Promise<void> {
  const config = JSON.parse(process.env[WORKER_CONFIG_ENV] ?? "{}") as WorkerConfig;
  // Not once the primary is gone; and with a callback, so that a send on a channel whose other end just
  // closed (the primary killed, its end not read yet) fails quietly instead of throwing: the channel's
  // close follows, and the worker drains on it.
  const send = (message: WorkerMessage) => process.connected && process.send?.(message, () => {});
  // Ctrl+C reaches the whole process group; the primary decides how workers stop.
  if (seams.workerSignals.sigint === "ignore") process.on("SIGINT", () => {});
  // The primary's word that the whole instance stops (see drainAndExit).
  let instanceStopping = false;
  let heardStopping = () => {};
  // The primary's liveness question: answered from the event loop, so a hung worker stays silent.
  process.on("message", (message: unknown) => {
    const type = (message as { type?: unknown } | null)?.type;
    if (type === "ping") send({ type: "pong", pid: process.pid });
    if (type === "stopping") {
      instanceStopping = true;
      heardStopping();
    }
  });
  let http: Awaited<ReturnType<typeof listen>>;
  // cluster makes a worker exit at once when its primary is gone (process.exit on 'disconnect'): requests
  // in flight would be cut. This worker drains instead (below).
  process.removeAllListeners("disconnect");
  const beforeListening = () => process.exit();
  process.once("disconnect", beforeListening);
  const workerId = cluster.worker?.id ?? 0;
  try {
    const bind = seams.listen({ host: config.host, port: config.port, reusePort: true }, workerId);
    http = await listen(routes, seams.handler(workerId), { ...bind, debug: config.debug }, (server) =>
      seams.serverReady(server, workerId),
    );
  } catch (error) {
    if (seams.onBindError === "hang") {
      setInterval(() => {}, 1_000);
      return;
    }
    send({ type: "fatal", pid: process.pid, message: errorLine(error) });
    process.exitCode = 1;
    process.disconnect?.();
    return;
  }
  process.removeListener("disconnect", beforeListening);
  let draining = false;
  /**
   * The listener closes only once it is ready (drain-listener.ts): when the whole instance stops (the
   * primary said so, or is gone), new connections are refused and what is queued is accepted first;
   * a worker stopped alone hands what is queued to its siblings. Meanwhile it serves as it drains.
   */
  const drainAndExit = (graceMs?: number, primaryGone = false) => {
    if (draining) return;
    draining = true;
    const mode = (): Promise<DrainMode> =>
      primaryGone || instanceStopping
        ? Promise.resolve("refuse")
        : new Promise((resolve) => {
            // Timers run before I/O in each turn of the loop: a worker that did not run for this long (a
            // busy host) would decide before reading a word already waiting in its pipe. It decides one
            // turn later, after that turn's I/O (setImmediate).
            const timer = setTimeout(
              () => setImmediate(() => resolve(instanceStopping ? "refuse" : "migrate")),
              STOPPING_WORD_WAIT_MS,
            );
            heardStopping = () => {
              clearTimeout(timer);
              resolve("refuse");
            };
          });
    const ready = mode()
      .then((how) => prepareListenerClose(http.server, how, "workers", config.graceMs))
      .then((report) => {
        const why = unreadyReason(report, primaryGone || instanceStopping);
        if (why) send({ type: "unready-close", pid: process.pid, message: why });
      });
    void http.drain(graceMs, ready).then(() => process.exit(0));
  };
  // A primary that died (SIGKILL, a crash) leaves no one to stop this worker: stop serving, finish what
  // is in flight, exit, so that no orphan keeps the port beside the next instance.
  if (seams.orphan === "drain") process.once("disconnect", () => drainAndExit(config.graceMs, true));
  else if (seams.orphan === "exit") process.once("disconnect", () => process.exit(0));
  // `on`, not `once`: a SIGTERM sent to every process (systemd) arrives twice, once from the service
  // manager and once forwarded by the primary; the second must not find the default handler.
  const every = seams.workerSignals.sigterm === "every";
  process[every ? "on" : "once"]("SIGTERM", () => {
    if (draining) return;
    // The primary enforces the grace period with SIGKILL; here we just drain.
    seams.workerStop({ drain: () => drainAndExit(), server: http.server });
  });
  send({ type: "listening", pid: process.pid, port: http.port });
}
