import type { Replacement } from "../../targets/observe.ts";
import type { FailureCause } from "../requirements.ts";

/** What a check body returns: the status, one line, and for a failure what was expected and seen. */
export type Outcome =
  | { status: "pass" | "info"; summary: string }
  | { status: "fail"; summary: string; expected: string; actual: string; hint?: string; cause?: FailureCause }
  | { status: "not-applicable"; summary: string }
  | { status: "error"; summary: string };

export const pass = (summary: string): Outcome => ({ status: "pass", summary });
export const info = (summary: string): Outcome => ({ status: "info", summary });
export const notApplicable = (reason: string): Outcome => ({ status: "not-applicable", summary: reason });
/**
 * The kit could not see enough to judge (never a failure of the server): an error verdict whose
 * reason says what was not seen.
 */
export const cannotJudge = (reason: string): Outcome => ({
  status: "error",
  summary: `not judged: ${reason}`,
});
/** A failure: what was expected, what was seen, and (where the cause is usual) one line on the fix. */
export const fail = (
  summary: string,
  expected: string,
  actual: string,
  hint?: string,
  cause?: FailureCause,
): Outcome => ({
  status: "fail",
  summary,
  expected,
  actual,
  ...(hint ? { hint } : {}),
  ...(cause ? { cause } : {}),
});

/** A verifier's finding: fine, or a failure ready to return. */
export type Finding = { ok: true; summary: string } | { ok: false; outcome: Outcome };

/** Runs findings in order and returns the first failure, or a pass joining their summaries. */
export function firstFailure(findings: readonly Finding[]): Outcome {
  for (const finding of findings) if (!finding.ok) return finding.outcome;
  return pass(findings.map((f) => (f.ok ? f.summary : "")).join("; "));
}

/** Why a replacement was given up on, as the end of "worker N was not replaced ...". */
export function notReplacedWhy(replacement: Replacement, timeoutMs: number): string {
  const waited = `${(replacement.elapsedMs / 1000).toFixed(1)} s`;
  switch (replacement.settledBy) {
    case "exit":
      return `: the started process exited ${waited} after the kill`;
    case "quiet":
      return `in ${waited}: the launch had stopped changing once it was gone, so none was coming (the start timeout, ${timeoutMs} ms, bounds the wait)`;
    default:
      return `within ${timeoutMs} ms`;
  }
}
