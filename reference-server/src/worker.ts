import cluster from "node:cluster";
import { errorLine } from "../../common/errors.ts";
import { isMutant } from "./mutants.ts";
import type { RouteHandler } from "./routes.ts";
import { listen } from "./serve.ts";
import { WORKER_CONFIG_ENV, type WorkerConfig, type WorkerMessage } from "./worker-config.ts";

/**
 * A cluster worker: binds its own SO_REUSEPORT socket (the primary holds none),
 * reports readiness, and drains on SIGTERM. If the primary dies, cluster closes
 * the IPC channel and the worker exits, so no worker outlives it.
 */
export async function runWorker(routes: ReadonlyMap<string, RouteHandler>): Promise<void> {
  const config = JSON.parse(process.env[WORKER_CONFIG_ENV] ?? "{}") as WorkerConfig;
  const send = (message: WorkerMessage) => process.send?.(message);
  // Ctrl+C reaches the whole process group; the primary decides how workers stop.
  process.on("SIGINT", () => {});
  let http: Awaited<ReturnType<typeof listen>>;
  if (isMutant("orphan-worker")) process.removeAllListeners("disconnect"); // outlive the primary
  try {
    http = await listen(routes, {
      ...config,
      reusePort: !isMutant("round-robin"),
      workerId: cluster.worker?.id ?? 0,
    });
  } catch (error) {
    if (isMutant("hang-on-bind-error")) {
      setInterval(() => {}, 1_000);
      return;
    }
    send({ type: "fatal", pid: process.pid, message: errorLine(error) });
    process.exitCode = 1;
    process.disconnect?.();
    return;
  }
  process.once("SIGTERM", () => {
    if (isMutant("drop-in-flight")) {
      http.server.closeAllConnections();
      process.exit(0);
    }
    if (isMutant("drop-queued")) {
      // Accept-and-drop for 300 ms before draining: every connection the kernel gives it meanwhile is lost.
      http.server.maxConnections = 0;
      setTimeout(() => void http.drain().then(() => process.exit(0)), 300);
      return;
    }
    // The primary enforces the grace period with SIGKILL; here we just drain.
    void http.drain().then(() => process.exit(0));
  });
  send({ type: "listening", pid: process.pid, port: http.port });
}
