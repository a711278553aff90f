/** What the primary hands each worker: already validated, with port 0 already resolved. */
export interface WorkerConfig {
  host: string;
  port: number;
  debug: boolean;
  /** How long a worker whose primary died may drain before it exits anyway. */
  graceMs: number;
}

export const WORKER_CONFIG_ENV = "BUSTBENCH_WORKER_CONFIG";

/**
 * One value per instance, in every worker's environment: how a worker's listener helper tells its
 * siblings from the other children of a reaper that adopted them (drain-listener.py, --siblings-env).
 */
export const INSTANCE_ENV = "BUSTBENCH_INSTANCE";

/**
 * V8 flags for workers, after Node's own (DESIGN.md, beside src/). A worker is one
 * event loop on a CPU that another worker wants too: V8's background compiler and GC threads
 * gain nothing there, and keep about 10 MB per worker after load; a 1 MB semi-space keeps the
 * young generation small. USS at 4 workers after load: 29–34 MB → 19–19.4 MB, same CPU per request.
 */
export const WORKER_V8_FLAGS = ["--single-threaded", "--max-semi-space-size=1"] as const;

/** Messages a worker sends its primary over the IPC channel. */
export type WorkerMessage =
  | { type: "listening"; pid: number; port: number }
  | { type: "fatal"; pid: number; message: string }
  | { type: "pong"; pid: number }
  /** Its listener closed without being readied (drain-listener.ts): queued connections may have been reset. */
  | { type: "unready-close"; pid: number; message: string };

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== "object" || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === "listening" || type === "fatal" || type === "pong" || type === "unready-close";
}

/**
 * The primary's word that the whole instance stops, sent before it forwards SIGTERM. A worker that
 * has it refuses new connections before its listener closes; one stopped alone lets its siblings
 * take its queue. A SIGTERM sent to every process (systemd) can reach a worker before the word: the
 * worker waits this long for it (it serves meanwhile). Long enough for a primary that a busy host keeps
 * from running for a while; a worker stopped alone closes its listener that much later.
 */
export const STOPPING = { type: "stopping" } as const;
export const STOPPING_WORD_WAIT_MS = 1_000;

/** The primary's question to each worker: a worker whose event loop runs answers `pong`. */
export const PING = { type: "ping" } as const;

/**
 * How the primary finds a hung worker (stopped, or stuck in a loop): it pings every worker this
 * often, and replaces one that has not answered for `hungAfterMs`. Generous beside a busy worker's
 * event-loop delay (milliseconds, even with 8 workers on one CPU under load).
 */
export const LIVENESS = { pingEveryMs: 1_000, hungAfterMs: 3_000 } as const;
