import type { SeriesFigure } from "../../results/series.ts";

/** Bencher Metric Format: benchmark name -> measure slug -> { value, lower_value, upper_value }. */
export type Bmf = Record<
  string,
  Record<string, { value: number; lower_value?: number; upper_value?: number }>
>;

/**
 * Pure: the figures as Bencher Metric Format JSON (https://bencher.dev/docs/reference/bencher-metric-format),
 * for `bencher run --adapter json --file bmf.json`. Bencher's measures carry no direction in the file: its
 * thresholds say which way is a regression (throughput up, everything else down).
 */
export function renderBmf(figures: readonly SeriesFigure[]): string {
  const bmf: Bmf = {};
  for (const f of figures) {
    bmf[f.benchmark] ??= {};
    (bmf[f.benchmark] as Bmf[string])[f.measure] = {
      value: f.value,
      ...(f.lower === undefined ? {} : { lower_value: f.lower }),
      ...(f.upper === undefined ? {} : { upper_value: f.upper }),
    };
  }
  return `${JSON.stringify(bmf, null, 2)}\n`;
}
