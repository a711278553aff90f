import type { BenchResult } from "../results/bench.ts";
import type { ConformanceReport, RequirementResult } from "../results/conformance.ts";
import {
  formatInteger,
  goalText,
  newestPerTarget,
  pointLabel,
  recommendationText,
  rpsText,
  shutdownLossSummaries,
  spreadLegend,
  targetLabel,
} from "../results/derive.ts";
import { describeLoadLine } from "../results/describe.ts";
import type { LifecycleResult } from "../results/lifecycle.ts";
import { LIFECYCLE_COLUMNS, LIFECYCLE_LEGEND, lifecycleRows } from "../results/lifecycle-derive.ts";
import { gateTally, gateText, partialScope, VERDICTS } from "../results/verdicts.ts";
import { caseDetail, failedCases } from "./failure-detail.ts";

/**
 * Pure: the results as Markdown, for pull requests and CI job summaries (GitHub
 * renders it). The same data as the HTML report: gate and conformance matrix
 * first, failures with expected versus actual, then each target's newest
 * benchmark figures. Every string from a result file goes through `cell()` or
 * `text()`, so that a target's name cannot break a table or inject markup.
 */
export interface MarkdownInput {
  conformance: ReadonlyArray<{ report: ConformanceReport }>;
  bench: ReadonlyArray<{ result: BenchResult }>;
  lifecycle?: ReadonlyArray<{ result: LifecycleResult }>;
  skipped: ReadonlyArray<{ file: string; reason: string }>;
}

export function renderMarkdown(input: MarkdownInput): string {
  const out: string[] = ["# bustbench results", ""];
  if (input.conformance.length === 0 && input.bench.length === 0) {
    out.push("No results found.", "");
  }
  if (input.conformance.length > 0) out.push(...conformanceSection(input.conformance.map((c) => c.report)));
  const newest = [...newestPerTarget(input.bench.map((b) => b.result)).values()].sort((a, b) =>
    b.startedAt.localeCompare(a.startedAt),
  );
  if (newest.length > 0) out.push(...benchSection(newest));
  const lifecycle = [...newestPerTarget((input.lifecycle ?? []).map((l) => l.result)).values()];
  if (lifecycle.length > 0) out.push(...lifecycleSection(lifecycle));
  if (input.skipped.length > 0) {
    out.push("## Files not read", "");
    for (const s of input.skipped) out.push(`- \`${code(s.file)}\`: ${text(s.reason)}`);
    out.push("");
  }
  return `${out.join("\n").trimEnd()}\n`;
}

/** Text in a paragraph or list: no HTML, no line breaks, Markdown's active characters escaped. */
export function text(value: string): string {
  return value
    .replace(/[\r\n]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|#~])/g, "\\$1");
}

/** A table cell: as text(), and never empty (an empty cell can shift a row in some renderers). */
export function cell(value: string): string {
  const escaped = text(value).trim();
  return escaped === "" ? " " : escaped;
}

/** Inside backticks nothing is escaped, so a backtick cannot be allowed in. */
function code(value: string): string {
  return value.replace(/[`\r\n]/g, "'");
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, align?: string): string[] {
  const marks = align ?? header.map(() => ":").join("");
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map((_, i) => (marks[i] === "-" ? "---:" : ":---")).join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ];
}

function verdictLabel(r: RequirementResult): string {
  const v = VERDICTS[r.verdict];
  return `${v.mark} ${v.label}`;
}

function gateLine(report: ConformanceReport): string {
  const scope = partialScope(report);
  return `**Gate: ${gateText(report.gate)}**${scope ? ` (**${scope}**: ${text((report.options.only ?? []).join(", "))})` : ""}. ${gateTally(report.gate.counts)}; ${(report.durationMs / 1000).toFixed(1)} s.`;
}

/** A target's name, marked when its run checked part of the contract. */
function columnName(report: ConformanceReport): string {
  return partialScope(report) ? `${report.target.name} (partial)` : report.target.name;
}

function conformanceSection(reports: readonly ConformanceReport[]): string[] {
  const out = ["## Conformance", ""];
  if (reports.length > 1) {
    // The matrix: one row per requirement, one column per target.
    const ids = [...new Set(reports.flatMap((r) => r.requirements.map((q) => q.id)))];
    const rows = ids.map((id) => {
      const first = reports.flatMap((r) => r.requirements).find((q) => q.id === id);
      return [
        id,
        first?.level ?? "",
        ...reports.map((r) => {
          const q = r.requirements.find((x) => x.id === id);
          return q ? verdictLabel(q) : "not run";
        }),
      ];
    });
    out.push(
      ...table(
        ["Requirement", "Level", ...reports.map((r) => cell(columnName(r)))],
        rows,
        `::${reports.map(() => ":").join("")}`,
      ),
      "",
    );
  }
  for (const report of reports) {
    out.push(`### ${text(columnName(report))}`, "", gateLine(report), "");
    out.push(
      ...table(
        ["Requirement", "Level", "Verdict", "What was seen"],
        report.requirements.map((r) => [
          r.id,
          r.level,
          verdictLabel(r),
          cell(r.note ? `${r.summary} [${r.note}]` : r.summary),
        ]),
      ),
      "",
    );
    // The same detail as the console and JUnit, kept as preformatted blocks; expected failures apart.
    const groups: Array<[string, RequirementResult[]]> = [
      ["Failures", report.requirements.filter((r) => r.verdict === "fail" || r.verdict === "error")],
      ["Expected failures", report.requirements.filter((r) => r.verdict === "expected-fail")],
    ];
    for (const [title, requirements] of groups) {
      const detail = requirements.flatMap((r) => failedCases(r).flatMap((c) => caseDetail(r, c)));
      if (detail.length === 0) continue;
      out.push(
        `#### ${title}`,
        "",
        "```text",
        ...detail.map((line) => line.replace(/```/g, "'''")),
        "```",
        "",
      );
    }
  }
  return out;
}

function benchSection(results: readonly BenchResult[]): string[] {
  const out = ["## Benchmark", ""];
  for (const result of results) {
    const host = result.host;
    out.push(
      `### ${text(result.target.name)}${result.complete ? "" : " (incomplete run)"}`,
      "",
      `${text(host.cpuModel)}, ${host.logicalCpus} logical CPUs, ${host.memoryGiB} GiB, kernel ${text(host.kernel)} (fingerprint \`${code(host.fingerprint)}\`). ` +
        `${text(result.loader.name)} ${text(result.loader.version)}, ${result.options.connections} connections, ` +
        `${result.options.runs} × ${result.options.durationS} s. ${text(describeLoadLine(result))}. ${result.startedAt}.`,
      "",
    );
    for (const f of result.failedPoints ?? [])
      out.push(`- **Not measured**: ${pointLabel(f)}: ${text(f.reason)}`);
    out.push(
      ...table(
        ["Target", "Workers", "Route", "RPS", "µs CPU/req", "p50 ms", "p99 ms", "USS MiB", "Limit", "Flags"],
        result.points.map((p) => [
          cell(targetLabel(p)),
          String(p.workers),
          p.route,
          rpsText(p),
          p.summary.cpuUsPerRequest ? p.summary.cpuUsPerRequest.median.toFixed(1) : "-",
          p.summary.latencyMs.p50.toFixed(2),
          p.summary.latencyMs.p99.toFixed(2),
          p.summary.ussPerWorkerBytes?.afterLoad
            ? (p.summary.ussPerWorkerBytes.afterLoad / 2 ** 20).toFixed(1)
            : "-",
          p.saturated,
          p.flags.length > 0 ? p.flags.join(", ") : "-",
        ]),
        ":-:-----::",
      ),
      "",
      `RPS: ${spreadLegend(result.options.runs)}. µs CPU/req: server CPU per request, valid whichever side saturated.`,
      "",
    );
    for (const g of result.goals.overhead) out.push(`- Goal, overhead, ${g.route}: ${text(goalText(g))}`);
    for (const g of result.goals.scaling) out.push(`- Goal, scaling, ${g.route}: ${text(goalText(g))}`);
    for (const r of result.recommendations ?? []) {
      out.push(`- Workers for this host, ${text(recommendationText(r))}`);
      for (const advice of r.advice) out.push(`  - ${text(advice)}`);
    }
    const loss = result.shutdownLoss;
    for (const s of shutdownLossSummaries(result)) {
      out.push(
        `- What a shutdown loses, ${s.signal} (${loss?.workers} workers, ${formatInteger(loss?.ratePerS ?? 0)} new connections/s): lost per run ${s.lostPerRun.join(", ")}; ${s.answered} answered, ${s.refused} refused, ${s.lost} lost, ${s.timedOut} timed out.`,
      );
    }
    out.push("");
  }
  return out;
}

function lifecycleSection(results: readonly LifecycleResult[]): string[] {
  const out = ["## Stopped, killed and hung the ways production does", ""];
  for (const result of results) {
    const o = result.options;
    out.push(
      `### ${text(result.target.name)}${result.complete ? "" : " (incomplete run)"}`,
      "",
      `${o.workers} workers, ${o.ratePerS} new connections/s, the event 1 s in, ${o.runs} run(s) per event. ${result.startedAt}.`,
      "",
      ...table(
        LIFECYCLE_COLUMNS.map((c) => c.name.charAt(0).toUpperCase() + c.name.slice(1)),
        lifecycleRows(result).map((row) => row.map((value) => cell(value))),
        LIFECYCLE_COLUMNS.map((c) => (c.numeric ? "-" : ":")).join(""),
      ),
      "",
      text(LIFECYCLE_LEGEND),
      "",
    );
  }
  return out;
}
