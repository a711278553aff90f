import type { Reporter, TestCase } from "vitest/node";
import type { CaseResult } from "../../results/conformance.ts";
import { REQUIREMENT_IDS, type RequirementId } from "../requirements.ts";

/**
 * A vitest reporter that only collects: each check's result arrives as task
 * metadata (never parsed from a title). Optional progress goes to stderr.
 */
export class ResultCollector implements Reporter {
  readonly results: CaseResult[] = [];
  readonly errors: string[] = [];

  constructor(private readonly progress?: (done: number, latest: CaseResult) => void) {}

  onTestCaseResult(testCase: TestCase): void {
    // Not run because a requirement it depends on had failed: the report says "not judged" with the reason.
    if (testCase.meta().bustbenchNotRun !== undefined) return;
    const meta = testCase.meta().bustbench;
    const errors = testCase.result().errors ?? [];
    if (meta) {
      // A check that vitest timed out never overwrote its placeholder: say so with vitest's message.
      const result =
        meta.status === "error" && errors.length > 0 && meta.summary.startsWith("the check did not finish")
          ? { ...meta, summary: `harness error: ${(errors[0]?.message ?? "").split("\n")[0]}` }
          : meta;
      this.results.push(result);
      this.progress?.(this.results.length, result);
      return;
    }
    // A test that failed before it could record its metadata (it never started its body).
    const id = REQUIREMENT_IDS.find((candidate) => testCase.name.startsWith(`${candidate} `));
    this.errors.push(
      `${testCase.module.moduleId}: ${testCase.name}: ${(errors[0]?.message ?? "no result").split("\n")[0]}`,
    );
    if (id) this.results.push(orphan(id, errors[0]?.message ?? "no result"));
  }

  onTestRunEnd(_modules: unknown, errors: ReadonlyArray<{ message?: string }>): void {
    for (const error of errors) this.errors.push((error.message ?? String(error)).split("\n")[0] ?? "");
  }
}

function orphan(id: RequirementId, message: string): CaseResult {
  return {
    requirement: id,
    case: "",
    status: "error",
    summary: `harness error: ${message.split("\n")[0]}`,
    evidence: {},
    durationMs: 0,
  };
}
