import type { CaseResult, CaseStatus, RequirementResult, Verdict } from "../../results/conformance.ts";
import type { ExpectedDeviation } from "../../targets/manifest.ts";
import { REQUIREMENTS, type RequirementId } from "../requirements.ts";

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
