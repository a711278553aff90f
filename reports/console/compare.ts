import { textTable } from "../../common/text-table.ts";
import type { Comparison } from "../../results/compare.ts";
import { formatInteger, pointLabel } from "../../results/derive.ts";

/** Pure: the comparison as an aligned table, then the verdict. */
export function renderComparison(comparison: Comparison, oldName: string, newName: string): string {
  const right = (header: string) => ({ header, align: "right" as const });
  const rows = comparison.points.map((p) => [
    pointLabel(p),
    formatInteger(p.oldMedian),
    formatInteger(p.newMedian),
    `${p.delta >= 0 ? "+" : ""}${(p.delta * 100).toFixed(1)}%`,
    p.test ? p.test.t.toFixed(2) : "-",
    p.test ? p.test.df.toFixed(1) : "-",
    p.change === "inconclusive" ? "inconclusive (needs 2+ runs a side)" : p.change,
    p.flags.join(", ") || "-",
  ]);
  const verdict =
    comparison.regressions > 0
      ? `REGRESSION: ${comparison.regressions} point(s) significantly slower by more than ${comparison.thresholdPct}%`
      : `no significant regression beyond ${comparison.thresholdPct}%`;
  return [
    `bustbench compare: ${oldName} -> ${newName} (Welch's t-test on the runs' RPS, 5% level)`,
    ...comparison.notes.map((n) => `note: ${n}`),
    "",
    ...textTable(
      [
        "point",
        right("old RPS"),
        right("new RPS"),
        right("delta"),
        right("t"),
        right("df"),
        "verdict",
        "flags",
      ],
      rows,
      { indent: " " },
    ),
    "",
    verdict,
    "",
  ].join("\n");
}
