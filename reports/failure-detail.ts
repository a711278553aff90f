import { textTable } from "../common/text-table.ts";
import type { CaseResult, ProcessRow, RequirementResult } from "../results/conformance.ts";

/**
 * Pure: the detail of a failed or errored case, as a person reads it after the
 * verdict table (and in a JUnit failure): the requirement, expected versus
 * actual, the usual cause and fix, and the processes the check saw.
 */
export function caseDetail(requirement: RequirementResult, c: CaseResult): string[] {
  const lines = [
    `${requirement.id} (${requirement.level})${c.case ? ` [${c.case}]` : ""}: ${c.summary}`,
    `  requirement: ${requirement.text}`,
  ];
  if (c.expected !== undefined) lines.push(`  expected:    ${c.expected}`);
  if (c.actual !== undefined) lines.push(`  actual:      ${c.actual}`);
  if (c.hint) lines.push(`  hint:        ${c.hint}`);
  const rows = processRows(c.evidence.processes);
  if (rows.length > 0) lines.push("  processes:", ...renderRoleTable(rows).map((line) => `    ${line}`));
  return lines;
}

/** The cases of a requirement that failed or could not be checked. */
export function failedCases(requirement: RequirementResult): CaseResult[] {
  return requirement.cases.filter((c) => c.status === "fail" || c.status === "error");
}

/** Evidence is data from a JSON file: keep only what has the shape of a row. */
function processRows(value: unknown): ProcessRow[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (row): row is ProcessRow =>
      typeof row === "object" && row !== null && typeof (row as ProcessRow).pid === "number",
  );
}

/** An aligned table of roles: pid, parent, role, LISTEN sockets, connections accepted, command line. */
export function renderRoleTable(rows: readonly ProcessRow[], commandWidth = 70): string[] {
  const right = (header: string) => ({ header, align: "right" as const });
  return textTable(
    [right("pid"), right("parent"), "role", right("listening"), right("accepted"), "command"],
    rows.map((row) => [
      String(row.pid),
      String(row.ppid),
      row.role,
      String(row.listening.length),
      String(row.accepted),
      row.cmdline.length > commandWidth ? `${row.cmdline.slice(0, commandWidth - 1)}…` : row.cmdline,
    ]),
  );
}
