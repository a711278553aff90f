import { check } from "../../harness/check.ts";
import { refusalFindings } from "../../harness/refusal.ts";
import { validStartReadyMs } from "../../harness/valid-start.ts";

check(
  "INPUT-1",
  {
    title: "an invalid worker count is refused clearly",
    cases: ["0", "-1", "abc"],
    caseLabel: (w) => `workers=${w}`,
    // Each case mostly waits for the target to exit: side by side, they wait once.
    concurrent: true,
  },
  async (ctx, workers) => {
    const instance = await ctx.launch({ workers: 1, workersText: workers });
    return refusalFindings(instance, /workers/i, `workers=${workers}`, ctx.evidence, {
      readyMeansAccepted: true,
      validReadyMs: validStartReadyMs,
    });
  },
);
