import type { ExpectedDeviation } from "../manifest/manifest.ts";
import { type Level, REQUIREMENTS, type RequirementId } from "../requirements.ts";
import type { CaseResult, CaseStatus, GateResult, RequirementResult, Verdict } from "./types.ts";

/**
 * One table for how every verdict is shown and what it does to the gate: the
 * console mark, the JUnit element and the dashboard badge all come from here.
 */
export const VERDICTS: Record<
  Verdict,
  { mark: string; label: string; junit: "ok" | "failure" | "error" | "skipped" }
> = {
  pass: { mark: "✓", label: "PASS", junit: "ok" },
  fail: { mark: "✗", label: "FAIL", junit: "failure" },
  "expected-fail": { mark: "≈", label: "XFAIL", junit: "skipped" },
  "not-applicable": { mark: "-", label: "N/A", junit: "skipped" },
  info: { mark: "i", label: "INFO", junit: "ok" },
  error: { mark: "!", label: "ERROR", junit: "error" },
};

/** Combines a requirement's cases: an error or a failure in any case decides; all N/A is N/A. */
export function combineCases(cases: readonly CaseResult[]): { status: CaseStatus; summary: string } {
  if (cases.length === 0) return { status: "error", summary: "no check ran for this requirement" };
  const order: CaseStatus[] = ["error", "fail", "info", "pass", "not-applicable"];
  for (const status of order) {
    const matching = cases.filter((c) => c.status === status);
    if (matching.length === 0) continue;
    if (status === "pass" && cases.some((c) => c.status === "not-applicable")) {
      // Some cases could not run here: say which, the verdict stays pass.
      const skipped = cases.filter((c) => c.status === "not-applicable").map((c) => c.case || "one case");
      return { status, summary: `${joinSummaries(matching)} (not applicable: ${skipped.join(", ")})` };
    }
    return { status, summary: joinSummaries(matching) };
  }
  return { status: "error", summary: "no verdict" };
}

function joinSummaries(cases: readonly CaseResult[]): string {
  const unique = [...new Set(cases.map((c) => (c.case ? `${c.case}: ${c.summary}` : c.summary)))];
  return unique.join("; ");
}

/** Applies the manifest's `expect` entry, if any, to a requirement's combined status. */
export function applyExpectation(
  status: CaseStatus,
  entry: ExpectedDeviation | undefined,
  today: string,
): { verdict: Verdict; note?: string } {
  if (!entry) return { verdict: status };
  if (status === "fail") {
    if (entry.until >= today)
      return { verdict: "expected-fail", note: `expected until ${entry.until}: ${entry.reason}` };
    return { verdict: "fail", note: `listed in expect, but that expired on ${entry.until}` };
  }
  if (status === "pass") return { verdict: "pass", note: "listed in expect but passes: remove the entry" };
  return { verdict: status };
}

export function requirementResult(
  id: RequirementId,
  cases: readonly CaseResult[],
  expect: readonly ExpectedDeviation[],
  today: string,
): RequirementResult {
  const requirement = REQUIREMENTS[id];
  const { status, summary } = combineCases(cases);
  const { verdict, note } = applyExpectation(
    status,
    expect.find((e) => e.id === id),
    today,
  );
  return {
    id,
    level: requirement.level,
    area: requirement.area,
    text: requirement.text,
    verdict,
    summary,
    ...(note ? { note } : {}),
    cases: [...cases],
  };
}

/**
 * Whether a verdict at a level fails the gate. A harness error in a MUST check
 * blocks (the gate cannot pass on what it could not check); in a SHOULD or INFO
 * check it blocks only under --strict, as a failure there would.
 */
export function blocksGate(level: Level, verdict: Verdict, strict: boolean): boolean {
  if (verdict === "error") return level === "MUST" || strict;
  if (verdict !== "fail") return false;
  return level === "MUST" || (level === "SHOULD" && strict);
}

export function gate(results: readonly RequirementResult[], strict: boolean): GateResult {
  const counts: Record<Verdict, number> = {
    pass: 0,
    fail: 0,
    "expected-fail": 0,
    "not-applicable": 0,
    info: 0,
    error: 0,
  };
  for (const result of results) counts[result.verdict]++;
  const blocking = results.filter((r) => blocksGate(r.level, r.verdict, strict)).map((r) => r.id);
  const passed = blocking.length === 0;
  return { passed, exitCode: passed ? 0 : 1, strict, counts, blocking };
}
