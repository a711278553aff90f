import type { BenchResult, Point } from "./result.ts";
import { median, type WelchResult, welch } from "./stats.ts";

export type Change = "regression" | "improvement" | "no change" | "inconclusive";

export interface PointComparison {
  key: string;
  role: Point["role"];
  workers: number;
  route: Point["route"];
  oldMedian: number;
  newMedian: number;
  /** (new - old) / old */
  delta: number;
  test: WelchResult | null;
  change: Change;
  /** Flags either side carried: the comparison is only as good as the figures. */
  flags: string[];
}

export interface Comparison {
  thresholdPct: number;
  sameHost: boolean;
  notes: string[];
  points: PointComparison[];
  regressions: number;
}

const keyOf = (p: Point) => `${p.role}/${p.workers}/${p.route}`;

/**
 * Pure: per-point deltas of the median RPS with Welch's t-test on the runs.
 * A regression is a significant drop larger than the threshold.
 */
export function compareResults(older: BenchResult, newer: BenchResult, thresholdPct = 5): Comparison {
  const notes: string[] = [];
  const sameHost = older.host.fingerprint === newer.host.fingerprint;
  if (older.host.node !== newer.host.node)
    notes.push(`Node differs: ${older.host.node} -> ${newer.host.node}`);
  if (older.loader.name !== newer.loader.name || older.loader.version !== newer.loader.version) {
    notes.push(
      `loader differs: ${older.loader.name} ${older.loader.version} -> ${newer.loader.name} ${newer.loader.version}`,
    );
  }
  if (
    older.options.connections !== newer.options.connections ||
    older.options.durationS !== newer.options.durationS
  ) {
    notes.push("connections or duration differ between the runs");
  }
  const oldPoints = new Map(older.points.map((p) => [keyOf(p), p]));
  const points: PointComparison[] = [];
  for (const point of newer.points) {
    const before = oldPoints.get(keyOf(point));
    if (!before) continue;
    const a = before.runs.map((r) => r.rps);
    const b = point.runs.map((r) => r.rps);
    const oldMedian = median(a);
    const newMedian = median(b);
    const delta = (newMedian - oldMedian) / oldMedian;
    const test = welch(a, b) ?? null;
    const beyond = Math.abs(delta) * 100 > thresholdPct;
    const change: Change = !test
      ? "inconclusive"
      : test.significant && beyond
        ? delta < 0
          ? "regression"
          : "improvement"
        : "no change";
    points.push({
      key: keyOf(point),
      role: point.role,
      workers: point.workers,
      route: point.route,
      oldMedian,
      newMedian,
      delta,
      test,
      change,
      flags: [...new Set([...before.flags, ...point.flags])],
    });
  }
  if (points.length === 0) notes.push("no point was measured in both runs");
  return {
    thresholdPct,
    sameHost,
    notes,
    points,
    regressions: points.filter((p) => p.change === "regression").length,
  };
}

/** Pure: the comparison as an aligned table. */
export function renderComparison(comparison: Comparison, oldName: string, newName: string): string {
  const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  const header = ["point", "old RPS", "new RPS", "delta", "t", "df", "verdict", "flags"];
  const rows = comparison.points.map((p) => [
    `${p.role === "baseline" ? "baseline " : ""}${p.workers}w ${p.route}`,
    number.format(p.oldMedian),
    number.format(p.newMedian),
    `${p.delta >= 0 ? "+" : ""}${(p.delta * 100).toFixed(1)}%`,
    p.test ? p.test.t.toFixed(2) : "-",
    p.test ? p.test.df.toFixed(1) : "-",
    p.change === "inconclusive" ? "inconclusive (needs 2+ runs a side)" : p.change,
    p.flags.join(", ") || "-",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = new Set([1, 2, 3, 4, 5]);
  const line = (cells: string[]) =>
    ` ${cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join("  ")}`.trimEnd();
  const verdict =
    comparison.regressions > 0
      ? `REGRESSION: ${comparison.regressions} point(s) significantly slower by more than ${comparison.thresholdPct}%`
      : `no significant regression beyond ${comparison.thresholdPct}%`;
  return [
    `bustbench compare: ${oldName} -> ${newName} (Welch's t-test on the runs' RPS, 5% level)`,
    ...comparison.notes.map((n) => `note: ${n}`),
    "",
    line(header),
    ...rows.map(line),
    "",
    verdict,
    "",
  ].join("\n");
}
