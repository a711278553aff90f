import type { SeriesFigure } from "../../results/series.ts";

/** One entry of github-action-benchmark's custom JSON (its `BenchmarkResult`). */
export interface GithubBenchmarkEntry {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

/**
 * Pure: the figures for github-action-benchmark, whose custom tools take one direction per file:
 * `customBiggerIsBetter` (throughput) or `customSmallerIsBetter` (CPU, latency, memory, losses).
 */
export function renderGithubBenchmark(
  figures: readonly SeriesFigure[],
  better: "bigger" | "smaller",
): string {
  const entries: GithubBenchmarkEntry[] = figures
    .filter((f) => f.better === better)
    .map((f) => ({
      name: `${f.benchmark} ${f.measure}`,
      unit: f.unit,
      value: f.value,
      ...(f.lower === undefined || f.upper === undefined
        ? {}
        : { range: `${round(f.lower)} to ${round(f.upper)}`, extra: "range: the lowest and highest run" }),
    }));
  return `${JSON.stringify(entries, null, 2)}\n`;
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toPrecision(4);
}
