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
 * gain nothing there, and the compiler's thread keeps about 10 MB of memory per worker after load
 * (USS 29–34 MB → 20–21 MB at 4 workers, same cost per request).
 */
export const WORKER_V8_FLAGS = ["--single-threaded"] as const;

/** Messages a worker sends its primary over the IPC channel. */
export type WorkerMessage =
  | { type: "listening"; pid: number; port: number }
  | { type: "fatal"; pid: number; message: string };

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== "object" || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === "listening" || type === "fatal";
}
