import type {
  CaseResult,
  ConformanceReport,
  GateResult,
  Level,
  RequirementResult,
  Verdict,
} from "./conformance.ts";

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
  "not-judged": { mark: "·", label: "NOT JUDGED", junit: "skipped" },
};

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
    "not-judged": 0,
  };
  for (const result of results) counts[result.verdict]++;
  // Root failures first: the ones other verdicts could not be given without.
  const roots = new Set(results.flatMap((r) => (r.notJudged ? [r.notJudged.needs] : [])));
  const failing = results.filter((r) => blocksGate(r.level, r.verdict, strict)).map((r) => r.id);
  const blocking = [...failing.filter((id) => roots.has(id)), ...failing.filter((id) => !roots.has(id))];
  const notJudged = results.filter((r) => r.verdict === "not-judged").map((r) => r.id);
  const passed = blocking.length === 0;
  return { passed, exitCode: passed ? 0 : 1, strict, counts, blocking, notJudged };
}

/** "PASS", "PASS (strict)", "FAIL (SPAWN-1, PORT-2)": the gate in words, everywhere it is shown. */
export function gateText(
  g: Pick<GateResult, "passed" | "blocking" | "strict"> & { notJudged?: string[] },
): string {
  const strict = g.strict ? " (strict)" : "";
  const notJudged = (g.notJudged ?? []).length > 0 ? `; not judged: ${(g.notJudged ?? []).join(", ")}` : "";
  return g.passed
    ? `PASS${strict}${notJudged ? ` (${notJudged.slice(2)})` : ""}`
    : `FAIL${strict} (${g.blocking.join(", ")}${notJudged})`;
}

/**
 * What a partial run (`--only`) checked, in words ("2 of 32 requirements checked"), or undefined for a
 * run of every requirement: shown wherever its verdict is, so that it never reads as the whole contract.
 */
export function partialScope(
  report: Pick<ConformanceReport, "options" | "requirements">,
): string | undefined {
  if (report.options.only === null) return undefined;
  const checked = report.requirements.length;
  return report.options.of === undefined
    ? `partial run: ${checked} requirement(s) checked`
    : `partial run: ${checked} of ${report.options.of} requirements checked`;
}

/** The newest report of each target, a full run before any partial one (a partial run never stands for it). */
export function newestFullPerTarget<
  R extends Pick<ConformanceReport, "options" | "requirements" | "startedAt" | "target">,
>(reports: readonly R[]): Map<string, R> {
  const newest = new Map<string, R>();
  const rank = (r: R) => (partialScope(r) === undefined ? 1 : 0);
  for (const report of reports) {
    const seen = newest.get(report.target.name);
    if (
      !seen ||
      rank(report) > rank(seen) ||
      (rank(report) === rank(seen) && report.startedAt > seen.startedAt)
    )
      newest.set(report.target.name, report);
  }
  return newest;
}

/** "21 passed, 0 failed, 1 expected failure(s), 3 info": every verdict that occurred, counted. */
export function gateTally(counts: GateResult["counts"]): string {
  const parts: Array<[number, string]> = [
    [counts.pass, "passed"],
    [counts.fail, "failed"],
    [counts["expected-fail"], "expected failure(s)"],
    [counts["not-applicable"], "not applicable"],
    [counts.info, "info"],
    [counts.error, "harness error(s)"],
    [counts["not-judged"] ?? 0, "not judged"],
  ];
  return parts
    .filter(([n], i) => n > 0 || i < 2)
    .map(([n, word]) => `${n} ${word}`)
    .join(", ");
}

/** The requirement ids of several reports, in the order they first appear (SPEC.md's order). */
export function requirementIdsOf(
  reports: ReadonlyArray<{ requirements: ReadonlyArray<{ id: string }> }>,
): string[] {
  return [...new Set(reports.flatMap((r) => r.requirements.map((q) => q.id)))];
}

/**
 * A case's time less what it spent waiting for other checks (`waitedForOtherLoadsMs`: their loads, and
 * before its own the end of every check that does more than wait).
 */
function ownMs(c: Pick<CaseResult, "durationMs" | "evidence">): number {
  const waited = c.evidence.waitedForOtherLoadsMs;
  return c.durationMs - (typeof waited === "number" ? waited : 0);
}

/** The requirements that took longest (their cases' own times added up), slowest first: where a run's time went. */
export function slowestRequirements(
  requirements: readonly Pick<RequirementResult, "id" | "cases">[],
  count = 3,
): Array<{ id: string; ms: number }> {
  return requirements
    .map((r) => ({ id: r.id, ms: r.cases.reduce((sum, c) => sum + ownMs(c), 0) }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
}
