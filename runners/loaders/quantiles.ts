import type { LatencySummary } from "../../results/bench.ts";

/**
 * Latency distributions from several load hosts, merged before percentiles are
 * taken (a p99 of per-host p99s is no p99). Each host reports its quantile
 * function on a fixed grid of percentiles, fine in the tail; each grid step
 * stands for its share of that host's requests at the step's value. The merged
 * percentiles are exact to the grid's resolution: 0.5% of requests in the body,
 * 0.01% from p99, 0.001% from p99.9.
 */
export const QUANTILE_GRID: readonly number[] = (() => {
  const grid: number[] = [];
  for (let i = 1; i <= 198; i++) grid.push(i * 0.5); // 0.5 .. 99
  for (let i = 1; i <= 90; i++) grid.push(99 + i * 0.01); // 99.01 .. 99.9
  for (let i = 1; i <= 100; i++) grid.push(99.9 + i * 0.001); // 99.901 .. 100
  return grid.map((p) => Math.round(p * 1000) / 1000);
})();

export interface HostDistribution {
  /** Requests this host completed. */
  count: number;
  /** Latency in microseconds at each percentile of QUANTILE_GRID. */
  quantilesUs: readonly number[];
  maxUs: number;
}

/** Pure: the merged distribution's percentiles, in milliseconds. */
export function mergeDistributions(hosts: readonly HostDistribution[]): LatencySummary {
  const weighted: Array<[number, number]> = [];
  let total = 0;
  for (const host of hosts) {
    if (host.count <= 0) continue;
    let previous = 0;
    QUANTILE_GRID.forEach((p, i) => {
      const weight = (host.count * (p - previous)) / 100;
      previous = p;
      const value = host.quantilesUs[i];
      if (value !== undefined && weight > 0) weighted.push([value, weight]);
    });
    total += host.count;
  }
  weighted.sort((a, b) => a[0] - b[0]);
  const at = (percentile: number): number => {
    if (weighted.length === 0) return 0;
    // A small tolerance: the grid's shares add up in floating point.
    const rank = (percentile / 100) * total * (1 - 1e-9);
    let cumulative = 0;
    for (const [value, weight] of weighted) {
      cumulative += weight;
      if (cumulative >= rank) return value;
    }
    return weighted.at(-1)?.[0] ?? 0;
  };
  const ms = (us: number) => us / 1000;
  return {
    p50: ms(at(50)),
    p90: ms(at(90)),
    p99: ms(at(99)),
    p999: ms(at(99.9)),
    max: ms(Math.max(0, ...hosts.map((h) => h.maxUs))),
    count: total,
  };
}
