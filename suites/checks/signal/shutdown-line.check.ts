import { LINES } from "../../../targets/console-lines.ts";
import { check } from "../../harness/check.ts";
import { pass } from "../../harness/outcome.ts";
import { observeStop } from "../../harness/stop-observation.ts";
import { lineSeen } from "../../harness/verify.ts";
import { SIGNALS } from "./signals.ts";

check(
  "SIGNAL-1",
  { title: "prints the shutdown line", needs: ["signals"], cases: SIGNALS, concurrent: true },
  async (ctx, signal) => {
    const { linesAfter } = await ctx.seen(`stop ${signal}`, () => observeStop(ctx, signal));
    ctx.evidence.linesAfterSignal = linesAfter.slice(0, 20);
    const finding = lineSeen(linesAfter, LINES.shutdown, `after ${signal}`);
    return finding.ok ? pass(finding.summary) : finding.outcome;
  },
);
