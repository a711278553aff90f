import { appendFileSync, readFileSync } from "node:fs";
import type { ListeningSocket } from "../common/probes/procfs.ts";
import type { StartOptions } from "./instance.ts";
import type { ProcessModel } from "./roles.ts";

/**
 * When a start has settled: its outcome is certain once what was asked is seen (N workers serve), or
 * once the processes and listeners of the launch have stopped changing for a quiet period; not when
 * the manifest's start timeout ends, which stays the bound for servers that are slow.
 *
 * The quiet period is scaled from how long the server took so far: twice the time until its ready path
 * answered, twice the longest pause between two changes seen, and never under QUIET_FLOOR_MS (workers
 * that bind one after another, a second or so apart, must not be taken for a server that stopped).
 */
export const QUIET_FLOOR_MS = 2_500;

/**
 * After a worker is killed, nothing in the launch changing for this long (or the start's own quiet period,
 * if longer) means no replacement comes. Longer than a start's: a supervisor may notice a death on its
 * next round (gunicorn's arbiter sleeps up to 1 s, uvicorn's supervisor looks every 0.5 s).
 */
export const REPLACEMENT_QUIET_FLOOR_MS = 5_000;

export function quietPeriodMs(readyMs: number, longestPauseMs: number): number {
  return Math.max(QUIET_FLOOR_MS, 2 * readyMs, 2 * longestPauseMs);
}

/** What changes when a start is still under way: the processes, their roles, and who holds which listener. */
export function shapeSignature(model: ProcessModel, sockets: readonly ListeningSocket[]): string {
  const rows = model.rows.map((row) => `${row.pid}:${row.role}`).join(",");
  const held = sockets
    .map((socket) => `${socket.inode}>${socket.holders.join("+")}`)
    .sort()
    .join(",");
  return `${rows}|${held}`;
}

/**
 * Follows a start's shape over time: when it last changed, and the longest pause between changes. One
 * watch per instance (observe.ts): a later look at the same instance (the next check of a group
 * that shares it) goes on from what the earlier ones saw, and a launch that has not changed since it
 * settled is settled at once instead of waiting for a quiet period again.
 */
export class ShapeWatch {
  #signature: string | undefined;
  #changedAt = 0;
  #longestPauseMs = 0;
  #unwatched = false;

  /** Records what was seen at `now` (performance.now(), or the launch's own clock: one clock per watch). */
  see(signature: string, now: number): void {
    const gap = this.#unwatched;
    this.#unwatched = false;
    if (signature === this.#signature) return;
    // A change seen after a time nobody looked is timed from now (a later end of the quiet period, never
    // an earlier one); that time is no pause of the server's, and must not lengthen its quiet period.
    if (this.#signature !== undefined && !gap)
      this.#longestPauseMs = Math.max(this.#longestPauseMs, now - this.#changedAt);
    this.#signature = signature;
    this.#changedAt = now;
  }

  /** Says that nobody looked since the last `see` until now (between two checks' looks). */
  resume(): void {
    this.#unwatched = true;
  }

  /** Whether nothing changed for the quiet period, given how long the server took to be ready. */
  quiet(now: number, readyMs: number, floorMs = QUIET_FLOOR_MS): boolean {
    return (
      this.#signature !== undefined &&
      now - this.#changedAt >= Math.max(floorMs, quietPeriodMs(readyMs, this.#longestPauseMs))
    );
  }

  /** When the shape last changed (performance.now()). */
  get changedAt(): number {
    return this.#changedAt;
  }
}

/**
 * A shape a start settled in with fewer workers than asked (one process serves; N - 1 workers): later
 * starts with the same options are settled as soon as they reach it, rather than waiting for the quiet
 * period again.
 */
export interface KnownShape {
  /** Processes that served: the workers, and the primary where it serves itself (one process). */
  serving: number;
}

/** Where settled shapes are kept: the checks of one suite run share them across processes (a file). */
export interface ShapeStore {
  get(key: string): KnownShape | undefined;
  put(key: string, shape: KnownShape): void;
}

/** The options that decide a start's shape (not its port, address or CPU placement). */
export function shapeKey(options: StartOptions): string {
  return JSON.stringify({
    workers: options.workers,
    workersText: options.workersText,
    debug: options.debug ?? false,
    platform: options.platform,
    env: options.env,
  });
}

/** Set by the suite (a file in its scratch folder) so that every check of one run shares what it learnt. */
export const SHAPES_ENV = "BUSTBENCH_SHAPES";

/** Shapes kept in memory (one process: the benchmark, the lifecycle matrix). */
export function memoryShapeStore(): ShapeStore {
  const shapes = new Map<string, KnownShape>();
  return { get: (key) => shapes.get(key), put: (key, shape) => void shapes.set(key, shape) };
}

/** Shapes kept in a file of JSON lines, read on each look: several processes append to it. */
export function fileShapeStore(path: string): ShapeStore {
  return {
    get: (key) => {
      let text = "";
      try {
        text = readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
      for (const line of text.split("\n").reverse()) {
        if (!line) continue;
        try {
          const entry = JSON.parse(line) as { key?: unknown; serving?: unknown };
          if (entry.key === key && typeof entry.serving === "number") return { serving: entry.serving };
        } catch {
          // a line cut by a writer that died: the others still count
        }
      }
      return undefined;
    },
    put: (key, shape) => appendFileSync(path, `${JSON.stringify({ key, ...shape })}\n`),
  };
}

const stores = new Map<string, ShapeStore>();

/** The store of this process: the suite's file when it set one, else memory. */
export function shapeStore(): ShapeStore {
  const path = process.env[SHAPES_ENV] ?? "";
  let found = stores.get(path);
  if (!found) {
    found = path ? fileShapeStore(path) : memoryShapeStore();
    stores.set(path, found);
  }
  return found;
}
