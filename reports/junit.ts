import type { ConformanceReport, RequirementResult } from "../results/conformance.ts";
import { partialScope, VERDICTS } from "../results/verdicts.ts";
import { caseDetail, failedCases } from "./failure-detail.ts";

/**
 * Pure: JUnit XML for CI systems. A requirement is a test case; a failed check
 * is `<failure>`, a harness error `<error>`, an expected failure or a check
 * that does not apply `<skipped>`.
 */
export function renderJunit(report: ConformanceReport): string {
  const { counts } = report.gate;
  const cases = report.requirements.map(testCase).join("\n");
  const failures = counts.fail;
  const skipped = counts["expected-fail"] + counts["not-applicable"] + (counts["not-judged"] ?? 0);
  // A partial run says so in the suite's name (what CI pages show) and in a property.
  const scope = partialScope(report);
  const name = scope ? `${report.target.name} (${scope})` : report.target.name;
  const properties = scope
    ? [
        "    <properties>",
        `      <property name="only" value="${escapeXml((report.options.only ?? []).join(","))}"/>`,
        "    </properties>",
      ]
    : [];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="bustbench conformance" tests="${report.requirements.length}" failures="${failures}" errors="${counts.error}" skipped="${skipped}" time="${seconds(report.durationMs)}">`,
    `  <testsuite name="${escapeXml(name)}" tests="${report.requirements.length}" failures="${failures}" errors="${counts.error}" skipped="${skipped}" time="${seconds(report.durationMs)}" timestamp="${escapeXml(report.startedAt)}">`,
    ...properties,
    cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}

function testCase(r: RequirementResult): string {
  const time = seconds(r.cases.reduce((sum, c) => sum + c.durationMs, 0));
  const open = `    <testcase classname="bustbench.${r.area}" name="${escapeXml(`${r.id} (${r.level})`)}" time="${time}"`;
  const detail = failedCases(r)
    .map((c) => caseDetail(r, c).join("\n"))
    .join("\n\n");
  const message = escapeXml(r.note ? `${r.summary} [${r.note}]` : r.summary);
  switch (VERDICTS[r.verdict].junit) {
    case "failure":
      return `${open}>\n      <failure message="${message}">${escapeXml(detail)}</failure>\n    </testcase>`;
    case "error":
      return `${open}>\n      <error message="${message}">${escapeXml(detail)}</error>\n    </testcase>`;
    case "skipped":
      return `${open}>\n      <skipped message="${message}"/>\n    </testcase>`;
    default:
      return `${open}/>`;
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** XML text and attribute escaping; control characters that XML 1.0 forbids are dropped. */
export function escapeXml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;")
  );
}
