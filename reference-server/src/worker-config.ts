/** What the primary hands each worker: already validated, with port 0 already resolved. */
export interface WorkerConfig {
  host: string;
  port: number;
  debug: boolean;
}

export const WORKER_CONFIG_ENV = "BUSTBENCH_WORKER_CONFIG";

/**
 * V8 flags for workers, after Node's own (SPEC.md, the reference's choices). A worker is one
 * event loop on a CPU that another worker wants too: V8's background compiler and GC threads
 * gain nothing there, and keep about 10 MB per worker after load; a 1 MB semi-space keeps the
 * young generation small. USS at 4 workers after load: 29–34 MB → 19–19.4 MB, same CPU per request.
 */
export const WORKER_V8_FLAGS = ["--single-threaded", "--max-semi-space-size=1"] as const;

/** Messages a worker sends its primary over the IPC channel. */
export type WorkerMessage =
  | { type: "listening"; pid: number; port: number }
  | { type: "fatal"; pid: number; message: string };

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== "object" || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === "listening" || type === "fatal";
}
