import type { ReportData } from "../../../results/report-data.ts";
import { el, section, table } from "../dom.ts";
import { history } from "../model.ts";

/** Each target's runs, newest first (targets with more than one run): its gate and headline figures per run. */
export function renderHistory(data: ReportData): HTMLElement | null {
  const byTarget = history(data.bench, data.conformance, data.lifecycle ?? []);
  if (byTarget.size === 0) return null;
  return section(
    "History",
    "history",
    [...byTarget].map(([target, rows]) =>
      el("div", { class: "history", attrs: { "data-testid": "history", "data-target": target } }, [
        el("h3", { text: target }),
        table(
          ["when", "run", "verdict", "figures", "file"],
          rows.map((row) => [
            row.startedAt.slice(0, 16).replace("T", " "),
            row.kind,
            row.verdict,
            row.figures,
            row.file,
          ]),
          { testId: `history-${target}` },
        ),
      ]),
    ),
    "Every run of a target found under the results folder, newest first: a regression or a fix shows here without compare.",
  );
}
