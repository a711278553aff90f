import { observeWorkers } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { pass } from "../../harness/outcome.ts";
import { exitedWith } from "../../harness/verify.ts";
import { SIGNALS } from "./signals.ts";

check(
  "SIGNAL-3",
  { title: "the started process exits 0", needs: ["signals"], cases: SIGNALS },
  async (ctx, signal) => {
    const instance = await ctx.start({ workers: 2 });
    ctx.step("waiting for 2 workers to serve");
    await observeWorkers(instance, 2, { settle: false });
    ctx.step(`waiting for the started process to exit after ${signal}`);
    const exit = await instance.stop(signal);
    ctx.evidence.exit = exit ?? "still running";
    const finding = exitedWith(0, exit, `within ${ctx.manifest.stopTimeoutMs} ms of ${signal}`);
    return finding.ok ? pass(finding.summary) : finding.outcome;
  },
);
