import type { Goal, Point, RouteName } from "./bench.ts";

/** The performance goals, judged from measured points only (never asserted in a test). */
export const GOALS = {
  /** The reference at 1 worker is within 5% of a bare node:http server. */
  maxOverhead: 0.05,
  /** Where the host has spare cores, 2 workers give at least 1.8x the RPS of 1. */
  minScaling2: 1.8,
} as const;

function find(
  points: readonly Point[],
  role: Point["role"],
  workers: number,
  route: RouteName,
): Point | undefined {
  return points.find((p) => p.role === role && p.workers === workers && p.route === route);
}

/**
 * The reference against the baseline at 1 worker, on server CPU per request:
 * a figure that holds whichever side saturated. RPS is compared only where
 * both points are server-bound (then it measures the same thing).
 */
export function overheadGoals(points: readonly Point[], routes: readonly RouteName[]): Goal[] {
  return routes.map((route) => {
    const target = find(points, "target", 1, route);
    const bare = find(points, "baseline", 1, route);
    if (!target || !bare) {
      return {
        route,
        met: null,
        ratio: null,
        reason: "needs the target and the baseline measured at 1 worker",
      };
    }
    const goal = `(goal: at least ${(100 - GOALS.maxOverhead * 100).toFixed(0)}%)`;
    const targetCost = target.summary.cpuUsPerRequest?.median;
    const bareCost = bare.summary.cpuUsPerRequest?.median;
    const rpsRatio = target.summary.rps.median / bare.summary.rps.median;
    const bothServerBound = target.saturated === "server" && bare.saturated === "server";
    const rpsNote = bothServerBound
      ? `; RPS ${(rpsRatio * 100).toFixed(1)}% of the baseline's, both server-bound`
      : "; RPS not compared: not both server-bound";
    if (targetCost === undefined || bareCost === undefined || targetCost <= 0) {
      // Results without CPU per request (older files): RPS is all there is.
      return {
        route,
        met: rpsRatio >= 1 - GOALS.maxOverhead,
        ratio: rpsRatio,
        reason: `${(rpsRatio * 100).toFixed(1)}% of the baseline's RPS ${goal}`,
      };
    }
    // Efficiency: how much of the baseline's work per CPU second the target does.
    const ratio = bareCost / targetCost;
    const met = ratio >= 1 - GOALS.maxOverhead && (!bothServerBound || rpsRatio >= 1 - GOALS.maxOverhead);
    return {
      route,
      met,
      ratio,
      reason: `${targetCost.toFixed(1)} vs ${bareCost.toFixed(1)} µs of server CPU per request: ${(ratio * 100).toFixed(1)}% of the baseline's efficiency ${goal}${rpsNote}`,
    };
  });
}

/** `targetCpus`: the CPUs the target may use (its pinned set, or the host's less the loader's threads). */
export function scalingGoals(
  points: readonly Point[],
  routes: readonly RouteName[],
  targetCpus: number,
): Goal[] {
  return routes.map((route) => {
    const one = find(points, "target", 1, route);
    const two = find(points, "target", 2, route);
    if (!one || !two)
      return { route, met: null, ratio: null, reason: "needs the target measured at 1 and 2 workers" };
    const ratio = two.summary.rps.median / one.summary.rps.median;
    if (targetCpus < 2) {
      return {
        route,
        met: null,
        ratio,
        reason: `the target has ${targetCpus} CPU(s) of its own, 2 workers need 2 (measured ${ratio.toFixed(2)}x)`,
      };
    }
    if (two.flags.includes("client-bound")) {
      return {
        route,
        met: null,
        ratio,
        reason: `the 2-worker point is client-bound (measured ${ratio.toFixed(2)}x)`,
      };
    }
    return {
      route,
      met: ratio >= GOALS.minScaling2,
      ratio,
      reason: `${ratio.toFixed(2)}x from 1 to 2 workers (goal: ${GOALS.minScaling2}x)`,
    };
  });
}
