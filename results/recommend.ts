import type { Point, Recommendation } from "./bench.ts";

export type { Recommendation };

import type { RouteName } from "./bench.ts";

/** Within this share of the best RPS, fewer workers do as well: the knee. */
export const KNEE_SHARE = 0.95;

/** What the load could offer the io route: its concurrency over the wait (Little's law). */
export interface IoLoad {
  connections: number;
  waitMs: number;
}

export function recommendWorkers(
  points: readonly Point[],
  routes: readonly RouteName[],
  targetCpus: number,
  io?: IoLoad,
): Recommendation[] {
  return routes.map((route) => {
    const measured = points
      .filter((p) => p.role === "target" && p.route === route)
      .sort((a, b) => a.workers - b.workers);
    const one = measured.find((p) => p.workers === 1);
    const efficiency: Record<string, number> = {};
    if (one) {
      for (const p of measured)
        efficiency[String(p.workers)] = p.summary.rps.median / (p.workers * one.summary.rps.median);
    }
    const base = { route, efficiency };
    if (measured.length < 2) {
      return { ...base, workers: null, reason: "needs at least two worker counts measured", advice: [] };
    }
    const clientBound = measured.filter((p) => p.flags.includes("client-bound"));
    if (clientBound.length > 0) {
      return {
        ...base,
        workers: null,
        reason: `cannot tell: the load generator ran out of CPU at ${clientBound.map((p) => p.workers).join(", ")} worker(s), so those figures are the client's; give it more CPUs (--cpus loader=...) or put the load on other hosts (--load-host)`,
        advice: [],
      };
    }
    const capped = measured.filter((p) => p.flags.includes("concurrency-bound"));
    if (capped[0] && capped[0].workers === measured[0]?.workers) {
      return {
        ...base,
        workers: capped[0].workers,
        reason: `${capped[0].workers}: ${capped[0].workers === 1 ? "one worker" : `${capped[0].workers} workers`} already served all the load could ask for (${describeIoLoad(io)}): the waits overlap inside a worker, so the CPU-bound routes set the count; raise --connections to see where CPU ends it`,
        advice: [
          '"2x cores if I/O-bound": not needed by this server, whose workers do not block while a request waits',
        ],
      };
    }
    const best = Math.max(...measured.map((p) => p.summary.rps.median));
    const knee = measured.find((p) => p.summary.rps.median >= KNEE_SHARE * best) as Point;
    const largest = measured.at(-1) as Point;
    const advice = adviceLines(route, measured, efficiency, targetCpus);
    if (targetCpus < 2 && knee.workers === 1) {
      return {
        ...base,
        workers: 1,
        reason: `1: with ${targetCpus} CPU for the target, more workers only share it (best ${Math.round(best)} RPS; 1 worker within ${Math.round((1 - KNEE_SHARE) * 100)}%); a host with more CPUs may say otherwise`,
        advice,
      };
    }
    const more =
      capped.length > 0
        ? `; from ${capped[0]?.workers} workers the load's concurrency capped the figures (${describeIoLoad(io)}): raise --connections to see further`
        : knee.workers === largest.workers
          ? "; it may scale further: measure more workers"
          : "";
    return {
      ...base,
      workers: knee.workers,
      reason: `${knee.workers}: the fewest workers within ${Math.round((1 - KNEE_SHARE) * 100)}% of the best (${Math.round(best)} RPS at ${measured.find((p) => p.summary.rps.median === best)?.workers} workers)${more}`,
      advice,
    };
  });
}

function describeIoLoad(io: IoLoad | undefined): string {
  if (!io || io.waitMs <= 0) return "the load's concurrency over the wait";
  const cap = Math.round((io.connections * 1000) / io.waitMs);
  return `${io.connections} connections / ${io.waitMs} ms = ${cap.toLocaleString("en-US")} RPS`;
}

function adviceLines(
  route: RouteName,
  measured: readonly Point[],
  efficiency: Record<string, number>,
  targetCpus: number,
): string[] {
  const lines: string[] = [];
  const upToCores = measured.filter((p) => p.workers > 1 && p.workers <= targetCpus);
  if (upToCores.length === 0) {
    lines.push(
      `"scales linearly up to the core count": not testable here, the target has ${targetCpus} CPU(s) of its own`,
    );
  } else {
    const worst = Math.min(...upToCores.map((p) => efficiency[String(p.workers)] ?? 0));
    lines.push(
      `"scales linearly up to the core count": ${worst >= 0.9 ? "holds" : "does not hold"} here (efficiency at least ${Math.round(worst * 100)}% up to ${targetCpus} workers)`,
    );
  }
  const beyond = measured.filter((p) => p.workers > targetCpus);
  const atCores = measured.filter((p) => p.workers <= targetCpus).at(-1);
  if (beyond.length > 0 && atCores) {
    const gain = Math.max(...beyond.map((p) => p.summary.rps.median)) / atCores.summary.rps.median;
    const pct = Math.round((gain - 1) * 100);
    const more = `more workers than the target's ${targetCpus} CPU(s)`;
    if (route !== "io") {
      lines.push(
        `${more}: ${gain > 1.05 ? `${pct}% more RPS (the route waits on something other than CPU)` : `no gain (${pct}%): this route is CPU-bound, "match CPU cores" holds`}`,
      );
    } else if (beyond.some((p) => p.flags.includes("concurrency-bound"))) {
      lines.push(`${more}: not testable, the load's concurrency capped those points`);
    } else {
      lines.push(
        `${more}: ${gain > 1.05 ? `${pct}% more RPS: the I/O route keeps scaling past the cores, "2x cores if I/O-bound" holds here` : `no gain (${pct}%): the waits already overlap inside each worker, "2x cores if I/O-bound" does not apply to this server`}`,
      );
    }
  }
  return lines;
}
