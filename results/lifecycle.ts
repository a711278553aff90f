import type { Timeline } from "./timeline.ts";
import type { Count, Integer, IsoTime, NonNegative, PositiveCount } from "./units.ts";

/**
 * The lifecycle matrix: what each way production stops, kills or hangs a server costs, under an
 * open-loop load of new connections. Written as `out/lifecycle/<time>-<target>.json`.
 * Version 2 adds `notApplicable` (a worker event on a target that serves from one process); files of
 * version 1 are read too.
 */
export const LIFECYCLE_SCHEMA_VERSION = 3;

export type LifecycleEventId =
  | "sigint-process"
  | "sigterm-process"
  | "sigint-group"
  | "sigterm-group"
  | "sigterm-service"
  | "worker-kill"
  | "worker-hang"
  | "primary-kill";

/** A process of the launch still alive after the event and the stop timeout. */
export interface Survivor {
  pid: Integer;
  role: string;
  cmdline: string;
}

/** One run of one event. */
export interface LifecycleRun {
  /** Requests the schedule sent, and how each ended. */
  sent: Count;
  answered: Count;
  /** Never accepted: the client knows and can retry elsewhere. */
  refused: Count;
  /** Accepted, then reset or closed unanswered. */
  lost: Count;
  /** Accepted, and no answer within the bound (`hungAfterMs`). */
  hung: Count;
  /** Milliseconds from the event until the workers asked for served again (events the server survives); null if they did not. */
  recoveryMs: NonNegative | null;
  /** The started process's exit after an event that stops it: "exit code 0", "killed by SIGINT", or null if it still ran. */
  exit: string | null;
  /** Whether the shutdown line was printed after the event. */
  shutdownLine: boolean;
  /** Processes of the launch alive after the event and the stop timeout (events that stop the server). */
  leftRunning: Survivor[];
  /** Whether the port still answered once those were left alone. */
  portAnsweredAfter: boolean | null;
  /** net.ipv4.tcp_migrate_req during the run. */
  tcpMigrateReq: Integer | null;
  /** The requests by when they were offered, around the event (absent before version 3). */
  timeline?: Timeline;
}

export interface LifecycleEventResult {
  id: LifecycleEventId;
  /** What it is: "SIGINT to the process group". */
  label: string;
  /** Who does it in production: "a terminal's Ctrl+C". */
  tool: string;
  /** Whether the server is expected to stop (a signal, its primary killed) or to stay up (a worker killed or hung). */
  stops: boolean;
  /** How the signal reached every process, where that differs by host (a cgroup, or the launch tag). */
  how?: string;
  /** Why the event was not measured (no worker to kill or hang: one process serves); `runs` is then empty. */
  notApplicable?: string;
  runs: LifecycleRun[];
}

export interface LifecycleResult {
  schemaVersion: 1 | 2 | typeof LIFECYCLE_SCHEMA_VERSION;
  kind: "lifecycle";
  kitVersion: string;
  startedAt: IsoTime;
  finishedAt: string | null;
  complete: boolean;
  target: { name: string; manifest: string };
  host: { kernel: string; cpus: PositiveCount; tcpMigrateReq: number | null };
  options: {
    workers: PositiveCount;
    ratePerS: NonNegative;
    runs: PositiveCount;
    hungAfterMs: NonNegative;
    migrateReq: boolean;
  };
  events: LifecycleEventResult[];
}
