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
] as const;

export type Mutant = (typeof MUTANTS)[number];

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
