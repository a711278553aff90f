/**
 * Deliberate faults, one per requirement they break, so that the conformance
 * suite can show that each of its checks can fail (suites/mutants.integration.test.ts).
 * Chosen by BUSTBENCH_MUTANT, which only this reference reads; unset, nothing changes.
 */
import { handleRequest as handleWith } from "./handler.ts";

export const MUTANTS = [
  "extra-worker",
  "no-start-line",
  "round-robin",
  "refusing-workers",
  "one-worker-500",
  "json-as-text",
  "catch-all",
  "per-worker-state",
  "no-shutdown-line",
  "orphan-worker",
  "exit-code-1",
  "drop-in-flight",
  "drop-queued",
  "no-fallback-line",
  "fork-on-fallback",
  "fallback-line-on-linux",
  "debug-ignored",
  "no-input-validation",
  "hang-on-bind-error",
  "no-respawn",
  "sigint-kills-workers",
  "sigterm-once",
  "exit-on-orphan",
] as const;

export type Mutant = (typeof MUTANTS)[number];

/**
 * What each mutant is for: the requirements it must break, and the others its faulty code path
 * reaches, which must still pass (proof that each check fails for its own reason, not by accident).
 * The mutant tests run exactly these requirements; a unit test keeps the table complete (every
 * mutant, and every MUST and SHOULD broken by one).
 */
export const MUTANT_EFFECTS = {
  "extra-worker": { breaks: ["SPAWN-1"], reaches: ["PORT-1", "DIST-1"] },
  "no-start-line": { breaks: ["SPAWN-2"], reaches: ["SIGNAL-1"] },
  "round-robin": { breaks: ["PORT-1", "PORT-2"], reaches: ["SPAWN-1", "DIST-1"] },
  // A worker that accepts and drops every connection serves nobody: spread and answers both fail.
  "refusing-workers": { breaks: ["DIST-1", "HTTP-1"], reaches: ["SPAWN-1", "PORT-1"] },
  "one-worker-500": { breaks: ["HTTP-1"], reaches: ["HTTP-2", "DIST-1"] },
  "json-as-text": { breaks: ["HTTP-2"], reaches: ["HTTP-1"] },
  "catch-all": { breaks: ["HTTP-3"], reaches: ["HTTP-1", "HTTP-2"] },
  "per-worker-state": { breaks: ["HTTP-4"], reaches: ["HTTP-1", "HTTP-2"] },
  "no-shutdown-line": { breaks: ["SIGNAL-1"], reaches: ["SIGNAL-3"] },
  "orphan-worker": { breaks: ["SIGNAL-2", "ORPHAN-1"], reaches: ["SIGNAL-3", "ORPHAN-2"] },
  "exit-code-1": { breaks: ["SIGNAL-3"], reaches: ["SIGNAL-1", "SIGNAL-2"] },
  "drop-in-flight": { breaks: ["SIGNAL-4", "SIGNAL-5"], reaches: ["SIGNAL-3"] },
  "drop-queued": { breaks: ["SIGNAL-6"], reaches: ["SIGNAL-3", "SIGNAL-4"] },
  "no-fallback-line": { breaks: ["PLATFORM-1"], reaches: ["PLATFORM-2"] },
  "fork-on-fallback": { breaks: ["PLATFORM-2"], reaches: ["PLATFORM-1"] },
  "fallback-line-on-linux": { breaks: ["PLATFORM-3"], reaches: ["SPAWN-2"] },
  "debug-ignored": { breaks: ["DEBUG-1"], reaches: ["SPAWN-1"] },
  "no-input-validation": { breaks: ["INPUT-1"], reaches: ["SPAWN-1"] },
  "hang-on-bind-error": { breaks: ["INPUT-2"], reaches: ["SPAWN-1"] },
  "no-respawn": { breaks: ["RESPAWN-1", "RESPAWN-2", "HANG-1"], reaches: ["SPAWN-1"] },
  "sigint-kills-workers": { breaks: ["GROUP-1"], reaches: ["SIGNAL-4", "GROUP-2"] },
  "sigterm-once": { breaks: ["GROUP-2", "SERVICE-1"], reaches: ["SIGNAL-4", "GROUP-1"] },
  "exit-on-orphan": { breaks: ["ORPHAN-2"], reaches: ["ORPHAN-1", "SIGNAL-4"] },
} as const satisfies Record<Mutant, { breaks: readonly string[]; reaches: readonly string[] }>;

/** Faults that break no requirement but cost time: `bench compare` must flag them as regressions. */
export const PERFORMANCE_MUTANTS = ["slow"] as const;

export type PerformanceMutant = (typeof PERFORMANCE_MUTANTS)[number];

/** CPU time the `slow` mutant burns per request. */
const SLOW_MICROSECONDS = 10;

export const MUTANT_ENV = "BUSTBENCH_MUTANT";

const chosen = process.env[MUTANT_ENV];

export const mutant: Mutant | PerformanceMutant | undefined = [...MUTANTS, ...PERFORMANCE_MUTANTS].includes(
  (chosen ?? "") as Mutant,
)
  ? (chosen as Mutant | PerformanceMutant)
  : undefined;

export function isMutant(name: Mutant | PerformanceMutant): boolean {
  return mutant === name;
}

type Handler = typeof handleWith;

/** The request handler of the HTTP mutants, chosen once at start-up (never per request). */
export function mutantHandler(workerId: number): Handler | undefined {
  if (mutant === "slow") {
    return (routes, req, res, closing) => {
      const until = process.hrtime.bigint() + BigInt(SLOW_MICROSECONDS * 1000);
      while (process.hrtime.bigint() < until) {
        // burn CPU, as a slower handler would
      }
      handleWith(routes, req, res, closing);
    };
  }
  if (mutant === "per-worker-state") {
    // State made per process: each worker's /json says which worker it is; one process says 0.
    return (routes, req, res, closing) => {
      if ((req.url ?? "").split("?")[0] !== "/json") return handleWith(routes, req, res, closing);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ hello: "world", worker: workerId }));
    };
  }
  if (mutant === "catch-all") {
    return (routes, req, res, closing) => {
      const known = routes.has((req.url ?? "/").split("?")[0] ?? "/");
      if (!known) req.url = "/";
      return handleWith(routes, req, res, closing);
    };
  }
  if (mutant === "one-worker-500" && workerId === 2) {
    return (_routes, req, res) => {
      if ((req.url ?? "").startsWith("/json")) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end('{"error":"mutant"}');
        return;
      }
      handleWith(_routes, req, res, false);
    };
  }
  return undefined;
}
