import { studentTQuantile } from "./student-t.ts";

/** Pure statistics over a handful of runs. No I/O, no printing. */

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, v) => sum + v, 0) / values.length;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Sample standard deviation (n - 1). */
export function stddev(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const m = mean(values);
  return Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1));
}

/** Coefficient of variation: stddev / mean; NaN with fewer than two values. */
export function coefficientOfVariation(values: readonly number[]): number {
  return stddev(values) / mean(values);
}

/** t(0.975, df): the two-sided 95% critical value, computed exactly, fractional df included (Welch). */
export function tCritical(df: number): number {
  if (!(df >= 1)) return Number.NaN;
  return studentTQuantile(0.975, df);
}

export interface Interval {
  low: number;
  high: number;
}

/** 95% confidence interval of the mean (Student's t); undefined with fewer than two values. */
export function confidenceInterval95(values: readonly number[]): Interval | undefined {
  if (values.length < 2) return undefined;
  const m = mean(values);
  const half = (tCritical(values.length - 1) * stddev(values)) / Math.sqrt(values.length);
  return { low: m - half, high: m + half };
}

export interface WelchResult {
  t: number;
  df: number;
  critical: number;
  /** |t| exceeds the two-sided 5% critical value. */
  significant: boolean;
}

/** Welch's t-test of b against a; undefined when either side has fewer than two values. */
export function welch(a: readonly number[], b: readonly number[]): WelchResult | undefined {
  if (a.length < 2 || b.length < 2) return undefined;
  const va = stddev(a) ** 2 / a.length;
  const vb = stddev(b) ** 2 / b.length;
  const diff = mean(b) - mean(a);
  if (va + vb === 0) {
    // Identical runs on each side: any difference is exact.
    return {
      t: diff === 0 ? 0 : Math.sign(diff) * Number.POSITIVE_INFINITY,
      df: a.length + b.length - 2,
      critical: tCritical(a.length + b.length - 2),
      significant: diff !== 0,
    };
  }
  const t = diff / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const critical = tCritical(df);
  return { t, df, critical, significant: Math.abs(t) > critical };
}
