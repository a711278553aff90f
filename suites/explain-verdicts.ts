import type { RequirementResult } from "../results/conformance.ts";

/**
 * For a test's failure message: each requirement with what its cases saw (summary, then expected and
 * actual where the check gave them), so that a CI log that shows only the message explains the verdict.
 */
export function explainVerdicts(requirements: readonly RequirementResult[]): string {
  return requirements
    .map((r) => {
      const cases = r.cases
        .filter((c) => c.status !== "pass")
        .flatMap((c) => {
          const label = c.case ? `  ${c.case}: ` : "  ";
          return [
            `${label}${c.status}: ${c.summary}`,
            ...(c.expected ? [`    expected: ${c.expected}`] : []),
            ...(c.actual ? [`    actual:   ${c.actual}`] : []),
          ];
        });
      return [`${r.id} (${r.verdict}): ${r.summary}`, ...cases].join("\n");
    })
    .join("\n");
}
