import type { ProcessRow } from "../../common/target/roles.ts";
import type { CaseResult, RequirementResult } from "./types.ts";

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
  const header = ["pid", "parent", "role", "listening", "accepted", "command"];
  const body = rows.map((row) => [
    String(row.pid),
    String(row.ppid),
    row.role,
    String(row.listening.length),
    String(row.accepted),
    row.cmdline.length > commandWidth ? `${row.cmdline.slice(0, commandWidth - 1)}…` : row.cmdline,
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...body.map((cells) => (cells[i] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) =>
        i === cells.length - 1
          ? cell
          : i === 0 || i === 1 || i === 3 || i === 4
            ? cell.padStart(widths[i] ?? 0)
            : cell.padEnd(widths[i] ?? 0),
      )
      .join("  ")
      .trimEnd();
  return [line(header), ...body.map(line)];
}
