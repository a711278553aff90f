import { textTable } from "../../common/text-table.ts";
import type { ConformanceReport } from "../../results/conformance.ts";
import { gateTally, gateText, partialScope, slowestRequirements, VERDICTS } from "../../results/verdicts.ts";
import { caseDetail, failedCases } from "../failure-detail.ts";

/** ", on a partial run: 2 of 32 requirements checked (--only SPAWN-1,SPAWN-2)", or "" for a full run. */
export function scopeNote(report: ConformanceReport): string {
  const scope = partialScope(report);
  return scope ? ` (${scope}: --only ${(report.options.only ?? []).join(",")})` : "";
}

/** Pure: the one-screen console table, a line per requirement with its one-line summary (for a failure, the reason). */
export function renderConsole(report: ConformanceReport, { width = 120 }: { width?: number } = {}): string {
  const rows = report.requirements.map((r) => {
    const verdict = VERDICTS[r.verdict];
    return [`${verdict.mark} ${verdict.label}`, r.level, r.id, `${r.summary}${r.note ? ` [${r.note}]` : ""}`];
  });
  const seconds = (report.durationMs / 1000).toFixed(1);
  // As h2spec does: each failure again after the table, with what was expected and seen.
  const details = report.requirements
    .filter((r) => r.verdict === "fail" || r.verdict === "error")
    .flatMap((r) => failedCases(r).flatMap((c) => ["", ...caseDetail(r, c).map((line) => `  ${line}`)]));
  return [
    `bustbench conformance: ${report.target.name} (${report.target.manifest})`,
    "",
    ...textTable(["verdict", "level", "id", "what was seen"], rows, { indent: "  ", width, header: false }),
    ...(details.length > 0 ? ["", "Failures:", ...details] : []),
    "",
    `Gate: ${gateText(report.gate)}${scopeNote(report)}. ${gateTally(report.gate.counts)}. ${seconds} s.`,
    `Slowest: ${slowestRequirements(report.requirements)
      .map((s) => `${s.id} ${(s.ms / 1000).toFixed(1)} s`)
      .join(", ")} (checks run side by side: these add up to more than the run).`,
    "",
  ].join("\n");
}
