import { LINES } from "../../../targets/console-lines.ts";
import { observeWorkers } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { pass } from "../../harness/outcome.ts";
import { lineSeen } from "../../harness/verify.ts";
import { SIGNALS } from "./signals.ts";

check(
  "SIGNAL-1",
  { title: "prints the shutdown line", needs: ["signals"], cases: SIGNALS },
  async (ctx, signal) => {
    const instance = await ctx.start({ workers: 2 });
    ctx.step("waiting for 2 workers to serve");
    await observeWorkers(instance, 2, { settle: false });
    ctx.step(`waiting for the started process to exit after ${signal}`);
    const mark = instance.outputMark();
    const exit = await instance.stop(signal);
    if (exit) await instance.proc.outputSettled;
    const after = instance.outputSince(mark);
    ctx.evidence.linesAfterSignal = after.slice(0, 20);
    const finding = lineSeen(after, LINES.shutdown, `after ${signal}`);
    return finding.ok ? pass(finding.summary) : finding.outcome;
  },
);
