import type { RequirementResult } from "../../../results/conformance.ts";
import type { ReportData } from "../../../results/report-data.ts";
import { gateText, partialScope, requirementIdsOf, VERDICTS } from "../../../results/verdicts.ts";
import { el, jsonDownload, section, table } from "../dom.ts";

/** A verdict is carried by its mark and its word as well as its colour. */
function badge(result: RequirementResult | undefined): HTMLElement {
  if (!result) return el("span", { class: "badge verdict verdict-none", text: "· not run" });
  const v = VERDICTS[result.verdict];
  return el("span", {
    class: `badge verdict verdict-${result.verdict}`,
    text: `${v.mark} ${v.label}`,
    title: result.note ? `${result.summary} [${result.note}]` : result.summary,
  });
}

export function renderConformance(data: ReportData): HTMLElement {
  if (data.conformance.length === 0) {
    return section("Conformance", "conformance", [
      el("p", {
        text: "No conformance results yet. Run `make conformance` (or `make conformance TARGET=path/to/manifest.json`), then `make report`.",
      }),
    ]);
  }
  const reports = data.conformance.map((c) => c.report);
  const matrix = table(
    [
      "requirement",
      "level",
      ...reports.map((r) => (partialScope(r) ? `${r.target.name} (partial)` : r.target.name)),
    ],
    requirementIdsOf(reports).map((id) => {
      const first = reports.flatMap((r) => r.requirements).find((q) => q.id === id);
      return [
        el("span", { text: id, title: first?.text ?? "" }),
        first?.level ?? "",
        ...reports.map((r) => badge(r.requirements.find((q) => q.id === id))),
      ];
    }),
    { testId: "conformance-matrix", class: "data matrix" },
  );
  const gates = el(
    "ul",
    { class: "gates" },
    data.conformance.map(({ report, file }) =>
      el("li", {}, [
        el("strong", { text: report.target.name }),
        ` · gate ${gateText(report.gate)}${partialScope(report) ? ` · ${partialScope(report)} (${(report.options.only ?? []).join(", ")})` : ""} · ${(report.durationMs / 1000).toFixed(1)} s · ${report.startedAt.slice(0, 16)} · `,
        jsonDownload("raw JSON", file, report),
      ]),
    ),
  );
  const details = data.conformance.map(({ report }) =>
    el("details", { class: "target-details" }, [
      el("summary", { text: `${report.target.name}: every verdict with its reason and evidence` }),
      table(
        ["requirement", "level", "verdict", "reason", "evidence"],
        report.requirements.map((r) => [
          r.id,
          r.level,
          badge(r),
          `${r.summary}${r.note ? ` [${r.note}]` : ""}`,
          el("details", {}, [
            el("summary", { text: "evidence" }),
            ...r.cases.map((c) =>
              el("div", { class: "case" }, [
                el("div", {
                  class: "case-title",
                  text: `${c.case || "case"}: ${c.status}${c.expected ? ` (expected ${c.expected}; actual ${c.actual})` : ""}`,
                }),
                el("pre", { text: JSON.stringify(c.evidence, null, 2) }),
              ]),
            ),
          ]),
        ]),
        { testId: `conformance-${report.target.name}` },
      ),
    ]),
  );
  return section(
    "Conformance",
    "conformance",
    [gates, matrix, ...details],
    "Hover a verdict for its one-line reason; open a target for the evidence of every check.",
  );
}
