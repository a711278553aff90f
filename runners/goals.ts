import type { RouteName } from "./options.ts";
import type { Goal, Point } from "./result.ts";

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
    const ratio = target.summary.rps.median / bare.summary.rps.median;
    const flagged = [...new Set([...target.flags, ...bare.flags])].filter((f) => f !== "oversubscribed");
    const met = ratio >= 1 - GOALS.maxOverhead;
    const note = flagged.length > 0 ? `; both measured under the same limits (${flagged.join(", ")})` : "";
    return {
      route,
      met,
      ratio,
      reason: `${(ratio * 100).toFixed(1)}% of the baseline's RPS (goal: at least ${(100 - GOALS.maxOverhead * 100).toFixed(0)}%)${note}`,
    };
  });
}

export function scalingGoals(
  points: readonly Point[],
  routes: readonly RouteName[],
  logicalCpus: number,
  loaderThreads: number,
): Goal[] {
  return routes.map((route) => {
    const one = find(points, "target", 1, route);
    const two = find(points, "target", 2, route);
    if (!one || !two)
      return { route, met: null, ratio: null, reason: "needs the target measured at 1 and 2 workers" };
    const ratio = two.summary.rps.median / one.summary.rps.median;
    if (2 + loaderThreads > logicalCpus) {
      return {
        route,
        met: null,
        ratio,
        reason: `not assessable: 2 workers + ${loaderThreads} loader thread(s) > ${logicalCpus} logical CPUs, no spare cores (measured ${ratio.toFixed(2)}x)`,
      };
    }
    if (two.flags.includes("client-bound")) {
      return {
        route,
        met: null,
        ratio,
        reason: `not assessable: the 2-worker point is client-bound (measured ${ratio.toFixed(2)}x)`,
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
