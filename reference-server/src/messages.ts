import { displayName } from "./platform.ts";

/**
 * Every console line of the contract, in one place. The wording follows
 * BustAPI's documentation (emoji included); SPEC.md says how checks match them.
 */
export const messages = {
  start: (workers: number) => `🚀 Starting ${workers} worker processes (Linux SO_REUSEPORT)...`,
  shutdown: "🛑 Shutting down workers...",
  fallback: (platform: string) => [
    `[BustAPI] Starting server on ${displayName(platform)} (single process mode)...`,
    "[BustAPI] Note: Multi-worker mode requires SO_REUSEPORT (Linux only)",
  ],
  debugIgnoresWorkers: (workers: number) =>
    `[BustAPI] Debug mode: workers=${workers} is ignored, serving from one process`,
  workerExited: (pid: number, how: string, delayMs?: number) =>
    `[bustbench] worker ${pid} exited (${how}); ${delayMs === undefined ? "not replaced" : `respawning in ${delayMs} ms`}`,
  workerReplaced: (pid: number) => `[bustbench] worker ${pid} listening (respawned)`,
  workerHung: (pid: number, silentMs: number) =>
    `[bustbench] worker ${pid} has not answered for ${silentMs} ms (hung): killing it, a new one replaces it`,
  unreadyClose: (pid: number, why: string, who: "worker" | "process" = "worker") =>
    `[bustbench] ${who} ${pid} closed its listener unready (${why}): connections queued on it may have been reset`,
  killedAfterGrace: (pids: readonly number[], graceMs: number) =>
    `[bustbench] worker(s) ${pids.join(", ")} still running after ${graceMs} ms: sent SIGKILL`,
} as const;

/** `code 1` or `signal SIGKILL`, as `exit` events report them. */
export function describeExit(code: number | null, signal: string | null): string {
  return signal ? `signal ${signal}` : `code ${code ?? "?"}`;
}
