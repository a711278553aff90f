import { caseDetail, failedCases } from "./failure-detail.ts";
import type { ConformanceReport } from "./types.ts";
import { VERDICTS } from "./verdict.ts";

/** Pure: the one-screen console table, a line per requirement with its one-line summary (for a failure, the reason). */
export function renderConsole(report: ConformanceReport, { width = 120 }: { width?: number } = {}): string {
  const rows = report.requirements.map((r) => {
    const verdict = VERDICTS[r.verdict];
    const detail = r.summary;
    const note = r.note ? ` [${r.note}]` : "";
    return [`${verdict.mark} ${verdict.label}`, r.level, r.id, `${detail}${note}`] as const;
  });
  const column = (i: 0 | 1 | 2) => Math.max(...rows.map((row) => row[i].length));
  const [w0, w1, w2] = [column(0), column(1), column(2)];
  const room = Math.max(20, width - (2 + w0 + 2 + w1 + 2 + w2 + 2));
  const lines = rows.map((row) =>
    `  ${row[0].padEnd(w0)}  ${row[1].padEnd(w1)}  ${row[2].padEnd(w2)}  ${clip(row[3], room)}`.trimEnd(),
  );
  const { counts, passed, strict, blocking } = report.gate;
  const tally = [
    `${counts.pass} passed`,
    `${counts.fail} failed`,
    counts["expected-fail"] ? `${counts["expected-fail"]} expected failures` : "",
    counts["not-applicable"] ? `${counts["not-applicable"]} not applicable` : "",
    counts.info ? `${counts.info} info` : "",
    counts.error ? `${counts.error} errors` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const seconds = (report.durationMs / 1000).toFixed(1);
  // As h2spec does: each failure again after the table, with what was expected and seen.
  const details = report.requirements
    .filter((r) => r.verdict === "fail" || r.verdict === "error")
    .flatMap((r) => failedCases(r).flatMap((c) => ["", ...caseDetail(r, c).map((line) => `  ${line}`)]));
  return [
    `bustbench conformance: ${report.target.name} (${report.target.manifest})`,
    "",
    ...lines,
    ...(details.length > 0 ? ["", "Failures:", ...details] : []),
    "",
    `Gate${strict ? " (strict)" : ""}: ${passed ? "PASS" : `FAIL (${blocking.join(", ")})`}. ${tally}. ${seconds} s.`,
    "",
  ].join("\n");
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
