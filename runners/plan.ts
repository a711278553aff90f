import { UsageError } from "../common/errors.ts";
import type { BenchOptions, PointRole, RouteName } from "../results/bench.ts";
import type { TargetDefinition } from "../targets/definition.ts";

/** One point to measure: a target at a worker count on a route. */
export interface PlannedPoint {
  role: PointRole;
  manifest: TargetDefinition;
  workers: number;
  route: RouteName;
}

/** What a run will measure, decided before anything starts; the options it came from are never modified. */
export interface BenchPlan {
  /** The options as the run applies them: routes the target declares, `--workers auto` resolved. */
  options: BenchOptions;
  target: TargetDefinition;
  baseline: TargetDefinition | null;
  points: PlannedPoint[];
  /** The CPUs the target may use: its pinned set, this host's under load from elsewhere, or the host's less the loader's threads. */
  targetCpus: number;
  /** Seconds each part is expected to take, for the plan line and the time left. */
  estimate: PlanEstimate;
}

export interface PlanEstimate {
  /** One point: start, warm-up, the runs, the fixed-rate latencies, stop. */
  pointS: number;
  /** Every shutdown-loss run together. */
  shutdownS: number;
  totalS: number;
}

/** Measured on this 2-core host: a start until ready and observed, and a stop, take about this long. */
const START_STOP_S = 1.5;
/** One shutdown-loss run: a start, 1.5 s of load, the exit. */
const SHUTDOWN_RUN_S = 3;

function declares(manifest: TargetDefinition, route: RouteName): boolean {
  return manifest.routes[route] !== undefined;
}

/**
 * The routes to measure on this target: as given, or by default every route it declares. A route
 * asked for by name that the manifest lacks is a usage error.
 */
export function routesFor(options: BenchOptions, target: TargetDefinition): RouteName[] {
  const missing = options.routes.filter((route) => !declares(target, route));
  if (options.routesGiven && missing.length > 0) {
    throw new UsageError(
      `${target.name} declares no ${missing.join(", ")} route: add "${missing[0]}" to the manifest's routes, or leave it out of --routes`,
    );
  }
  return options.routes.filter((route) => declares(target, route));
}

/** `--workers auto`: 1, 2, 4 … up to twice the target's CPUs, where "match CPU cores" and "2x cores" both show. */
export function autoWorkers(targetCpus: number): number[] {
  const workers: number[] = [];
  for (let n = 1; n <= 2 * targetCpus; n *= 2) workers.push(n);
  return workers;
}

/** Pure: the order of the points. The baseline runs right after the target's first worker count, on the same host state. */
export function planPoints(
  options: Pick<BenchOptions, "workers" | "routes">,
  target: TargetDefinition,
  baseline: TargetDefinition | null,
): PlannedPoint[] {
  const plan: PlannedPoint[] = [];
  for (const workers of options.workers) {
    for (const route of options.routes) plan.push({ role: "target", manifest: target, workers, route });
    if (workers === options.workers[0] && baseline) {
      // The baseline is measured on the CPU-bound routes it declares (bare node:http has no io).
      for (const route of options.routes.filter((r) => r !== "io" && declares(baseline, r)))
        plan.push({ role: "baseline", manifest: baseline, workers: 1, route });
    }
  }
  return plan;
}

/** Pure: how long a plan takes, from its options. */
export function estimatePlan(options: BenchOptions, points: number): PlanEstimate {
  const fixed = options.fixedRate.length * (Math.min(1, options.warmupS) + options.durationS);
  const pointS = START_STOP_S + options.warmupS + options.runs * options.durationS + fixed;
  const shutdownS = 2 * options.shutdownRuns * SHUTDOWN_RUN_S;
  return { pointS, shutdownS, totalS: points * pointS + shutdownS };
}

/** Pure: the plan of a run, from its options, its targets and the CPUs the target will have. */
export function planBench(
  given: BenchOptions,
  target: TargetDefinition,
  baseline: TargetDefinition | null,
  targetCpus: number,
): BenchPlan {
  const options: BenchOptions = {
    ...given,
    routes: routesFor(given, target),
    workers: given.workersAuto ? autoWorkers(targetCpus) : [...given.workers],
  };
  const points = planPoints(options, target, baseline);
  return { options, target, baseline, points, targetCpus, estimate: estimatePlan(options, points.length) };
}

/** "about 9 min", "about 40 s": a duration a person plans around. */
export function aboutDuration(seconds: number): string {
  if (seconds < 90) return `about ${Math.max(1, Math.round(seconds))} s`;
  return `about ${Math.round(seconds / 60)} min`;
}

/** The plan in a few lines, printed before anything is measured. */
export function describePlan(plan: BenchPlan): string[] {
  const { options, estimate } = plan;
  const byRole = (role: PointRole) => plan.points.filter((p) => p.role === role);
  const targetPoints = byRole("target");
  const baselinePoints = byRole("baseline");
  const fixed =
    options.fixedRate.length > 0
      ? `, then latency at ${options.fixedRate.map((f) => `${Math.round(f * 100)}%`).join(" and ")} of its capacity (${options.durationS} s each)`
      : "";
  const lines = [
    `Plan: ${plan.points.length} point(s): ${plan.target.name} at ${options.workers.join(", ")} worker(s) on ${options.routes.join(", ")} (${targetPoints.length})${baselinePoints.length > 0 ? `, ${plan.baseline?.name} at 1 worker on ${baselinePoints.map((p) => p.route).join(", ")} (${baselinePoints.length})` : ""}.`,
    `  each point: a fresh start, ${options.warmupS} s warm-up, ${options.runs} run(s) of ${options.durationS} s${fixed}: ${aboutDuration(estimate.pointS)}`,
  ];
  if (options.shutdownRuns > 0)
    lines.push(
      `  then what a shutdown loses: ${options.shutdownRuns} shutdown(s) per signal: ${aboutDuration(estimate.shutdownS)}`,
    );
  lines.push(`  expected in all: ${aboutDuration(estimate.totalS)}`);
  return lines;
}

/**
 * Seconds left after `done` points (and, with `shutdownRuns` done, that many shutdown runs), from the
 * plan's estimate scaled by how the run has kept to it so far.
 */
export function secondsLeft(plan: BenchPlan, done: number, elapsedS: number, shutdownRunsDone = 0): number {
  const { pointS, shutdownS } = plan.estimate;
  const perShutdown = plan.options.shutdownRuns > 0 ? shutdownS / (2 * plan.options.shutdownRuns) : 0;
  const expected = done * pointS + shutdownRunsDone * perShutdown;
  const pace = expected > 0 && elapsedS > 0 ? Math.min(3, Math.max(0.5, elapsedS / expected)) : 1;
  const left = (plan.points.length - done) * pointS + shutdownS - shutdownRunsDone * perShutdown;
  return Math.max(0, left * pace);
}
