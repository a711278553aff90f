/** What the primary hands each worker: already validated, with port 0 already resolved. */
export interface WorkerConfig {
  host: string;
  port: number;
  debug: boolean;
}

export const WORKER_CONFIG_ENV = "BUSTBENCH_WORKER_CONFIG";

/** Messages a worker sends its primary over the IPC channel. */
export type WorkerMessage =
  | { type: "listening"; pid: number; port: number }
  | { type: "fatal"; pid: number; message: string };

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== "object" || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === "listening" || type === "fatal";
}
