import { REQUIREMENTS, type Requirement, type RequirementId } from "../requirements.ts";

/**
 * Which file checks each requirement. `satisfies` makes the compiler refuse a
 * requirement without a check; a unit test makes sure each file declares its id.
 */
export const CHECK_FILES = {
  "SPAWN-1": "spawn/worker-count.check.ts",
  "SPAWN-2": "spawn/start-line.check.ts",
  "PORT-1": "port/one-listener-per-worker.check.ts",
  "PORT-2": "port/parent-holds-no-listener.check.ts",
  "DIST-1": "dist/connections-spread.check.ts",
  "HTTP-1": "http/routes-answer.check.ts",
  "HTTP-2": "http/content-types.check.ts",
  "HTTP-3": "http/unknown-path.check.ts",
  "HTTP-4": "http/same-answers.check.ts",
  "SIGNAL-1": "signal/shutdown-line.check.ts",
  "SIGNAL-2": "signal/nothing-left.check.ts",
  "SIGNAL-3": "signal/exit-code.check.ts",
  "SIGNAL-4": "signal/in-flight-completes.check.ts",
  "SIGNAL-5": "signal/under-load.check.ts",
  "SIGNAL-6": "signal/shutdown-loss.check.ts",
  "PLATFORM-1": "platform/fallback-lines.check.ts",
  "PLATFORM-2": "platform/one-process.check.ts",
  "PLATFORM-3": "platform/no-fallback-on-linux.check.ts",
  "DEBUG-1": "debug/one-process.check.ts",
  "INPUT-1": "input/bad-worker-count.check.ts",
  "INPUT-2": "input/port-in-use.check.ts",
  "RESPAWN-1": "respawn/dead-worker-replaced.check.ts",
  "RESPAWN-2": "respawn/under-load.check.ts",
  "GROUP-1": "group/ctrl-c.check.ts",
  "GROUP-2": "group/sigterm-to-group.check.ts",
  "SERVICE-1": "service/systemd-stop.check.ts",
  "ORPHAN-1": "orphan/workers-stop.check.ts",
  "ORPHAN-2": "orphan/in-flight-completes.check.ts",
  "HANG-1": "hang/stopped-worker-replaced.check.ts",
  "SECURITY-1": "security/foreign-socket.check.ts",
  "INFO-1": "info/worker-rss.check.ts",
  "INFO-2": "info/start-time.check.ts",
} as const satisfies Record<RequirementId, string>;

/**
 * Checks run together from one group file: those that only look at a running target share one start
 * (`observes` in their spec), those that judge the same event share one observation of it
 * (`ctx.seen`). The group file's imports give the order.
 */
export const GROUPS: Record<string, readonly RequirementId[]> = {
  "groups/workers.group.ts": [
    "SPAWN-1",
    "PORT-1",
    "PORT-2",
    "INFO-1",
    "HTTP-1",
    "HTTP-2",
    "HTTP-3",
    "DIST-1",
    "SECURITY-1",
    "SPAWN-2",
    "PLATFORM-3",
  ],
  "groups/one-process.group.ts": ["DEBUG-1", "PLATFORM-2", "HTTP-4", "PLATFORM-1"],
  "groups/stop.group.ts": ["SIGNAL-3", "SIGNAL-1", "SIGNAL-2"],
};

/** The requirements others depend on (SPAWN-1, SIGNAL-3): their files start first (see failedDependency). */
export const ROOTS: readonly RequirementId[] = [
  ...new Set(Object.values(REQUIREMENTS).flatMap((r: Requirement) => (r.dependsOn ?? []).map((d) => d.id))),
] as RequirementId[];

/** The files the suite runs for these requirements: a group's file once for any of its members. */
export function filesFor(ids: readonly RequirementId[]): string[] {
  const fileOf = (id: RequirementId) =>
    Object.entries({ ...GROUPS, [LONG_WAITS_FILE]: LONG_WAITS, [LOADS_FILE]: [...LOADING_CHECKS] }).find(
      ([, members]) => members.includes(id),
    )?.[0] ?? CHECK_FILES[id];
  return [...new Set(ids.map(fileOf))];
}

/**
 * Checks that can wait long for what may never come, costing little CPU meanwhile: a hung or killed
 * worker's replacement (up to hangTimeoutMs, or a quiet period), a refusal of a busy port (10 s at
 * least), workers that may outlive their primary or a stop (the stop timeout). Started right after the
 * roots, so that their waits overlap the other checks rather than end the run.
 */
export const LONG_WAITS: readonly RequirementId[] = [
  "HANG-1",
  "INPUT-2",
  "ORPHAN-1",
  "RESPAWN-1",
  "GROUP-1",
  "GROUP-2",
  "SERVICE-1",
  "SIGNAL-4",
];

/**
 * The file that runs the LONG_WAITS checks, all side by side in one vitest worker: each spends its
 * time waiting on its own target, so one worker's loop serves them all. Run from a file each, they
 * took the suite's parallel slots in turns, and a failing server's waits (the start or stop timeout
 * each) added up in rounds.
 */
export const LONG_WAITS_FILE = "groups/long-waits.group.ts";

/**
 * Checks that put a load on the target and count what it lost: their starts and loads run one at a
 * time (loadAlone), once every other check has ended (see LOADS_GATE_ENV).
 */
export const LOADING_CHECKS: ReadonlySet<RequirementId> = new Set(["RESPAWN-2", "SIGNAL-5", "SIGNAL-6"]);

/**
 * The file that runs the LOADING_CHECKS side by side in one vitest worker: while one loads its
 * target, another waits for what its load's event should bring (a killed worker's replacement).
 */
export const LOADS_FILE = "groups/loads.group.ts";

/**
 * How many loads a loading check's case may wait behind, its own included: each loading check has at
 * most two cases (one per signal; a unit test holds them to it). Bounds vitest's own timeout for them.
 */
export const LOADING_CASES_AT_MOST = 2 * LOADING_CHECKS.size;
