import { check } from "../../harness/check.ts";
import { pass } from "../../harness/outcome.ts";
import { observeStop } from "../../harness/stop-observation.ts";
import { exitedWith } from "../../harness/verify.ts";
import { SIGNALS } from "./signals.ts";

check(
  "SIGNAL-3",
  { title: "the started process exits 0", needs: ["signals"], cases: SIGNALS, concurrent: true },
  async (ctx, signal) => {
    const { exit } = await ctx.seen(`stop ${signal}`, () => observeStop(ctx, signal));
    ctx.evidence.exit = exit ?? "still running";
    const finding = exitedWith(0, exit, `within ${ctx.manifest.stopTimeoutMs} ms of ${signal}`);
    return finding.ok ? pass(finding.summary) : finding.outcome;
  },
);
