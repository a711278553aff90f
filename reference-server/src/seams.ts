import type { Server } from "node:http";
import { handleRequest, type RequestHandler } from "./handler.ts";
import { messages } from "./messages.ts";
import { type RawRunOptions, type RunOptions, resolveRunOptions } from "./options.ts";
import { decideMode, type Mode } from "./platform.ts";
import { respawnDelayMs } from "./respawn.ts";

/**
 * The named points where the reference's behaviour is composed. The reference runs with
 * `REFERENCE_SEAMS`, its own behaviour, and nothing under src/ knows another value: as Go's net/http
 * keeps test hooks at named points and sets them only from test files, and undici builds variants by
 * composing around its dispatcher. The deliberate faults that prove each conformance check can fail are
 * built from these seams by a test-only entry point (reference-server/test/mutants/), which the
 * published package does not contain.
 */
export interface Seams {
  /** The user's options, checked and with their defaults (a UsageError names a bad one). */
  resolveOptions(raw: RawRunOptions, cpus: number): RunOptions;
  /** One process, or a primary and its workers, for this platform, worker count and debug flag. */
  decideMode(input: Parameters<typeof decideMode>[0]): Mode;
  /** The contract's console lines, each printed in turn where it is due. */
  lines: {
    start(workers: number): readonly string[];
    shutdown: readonly string[];
    fallback(platform: string): readonly string[];
  };
  /** How many workers the primary forks for `workers`. */
  forkCount(workers: number): number;
  /**
   * The workers the primary tells that the instance stops, and sends SIGTERM to. It exits once every
   * worker it tells has exited.
   */
  stopWorkers(workers: readonly number[]): readonly number[];
  /** Passes the stop on to the workers told (their pids): `forward` tells them and sends each its SIGTERM. */
  passStop(forward: () => void, workers: readonly number[]): void;
  /** The primary's exit code once its workers have stopped (`clean`: 0, or 1 if one stopped badly). */
  exitCode(clean: number): number;
  /** How long after a death a dead worker is replaced, given the deaths of the last minute; undefined: not. */
  respawnDelayMs(deathTimes: readonly number[], now: number): number | undefined;
  /** A worker's signals: SIGINT (the primary decides how workers stop) and every copy of SIGTERM. */
  workerSignals: { sigint: "ignore" | "default"; sigterm: "every" | "first" };
  /**
   * What a worker does when told to stop: `drain` readies its listener, finishes what is in flight and
   * exits 0 (the reference's stop).
   */
  workerStop(worker: { drain: () => void; server: Server }): void;
  /** A worker whose primary is gone (killed, crashed): it drains and exits, exits at once, or stays. */
  orphan: "drain" | "exit" | "stay";
  /** The options a worker listens with. */
  listen(options: WorkerListen, workerId: number): WorkerListen;
  /** Called once a worker's server exists, before it listens. */
  serverReady(server: Server, workerId: number): void;
  /** A worker that cannot bind tells its primary, which stops the start (`report`), or waits (`hang`). */
  onBindError: "report" | "hang";
  /** The request handler of a serving process (worker ids from 1; 0 for the one process). */
  handler(workerId: number): RequestHandler;
}

/** How a worker binds: its own socket on host:port, in the port's SO_REUSEPORT group. */
export interface WorkerListen {
  host: string;
  port: number;
  reusePort: boolean;
}

/** The reference's own behaviour at every seam. */
export const REFERENCE_SEAMS: Seams = {
  resolveOptions: resolveRunOptions,
  decideMode,
  lines: {
    start: (workers) => [messages.start(workers)],
    shutdown: [messages.shutdown],
    fallback: messages.fallback,
  },
  forkCount: (workers) => workers,
  stopWorkers: (workers) => workers,
  passStop: (forward) => forward(),
  exitCode: (clean) => clean,
  respawnDelayMs,
  workerSignals: { sigint: "ignore", sigterm: "every" },
  workerStop: ({ drain }) => drain(),
  orphan: "drain",
  listen: (options) => options,
  serverReady: () => {},
  onBindError: "report",
  handler: () => handleRequest,
};
