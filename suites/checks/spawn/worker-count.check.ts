import { observeWorkers } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { HINTS } from "../../harness/hints.ts";
import { fail, pass } from "../../harness/outcome.ts";
import { describeRoles, pids, processCount, recordProcesses } from "../../harness/verify.ts";

check(
  "SPAWN-1",
  {
    title: "N worker processes below the started one",
    observes: true,
    cases: [2, 4],
    caseLabel: (n) => `workers=${n}`,
    needs: ["proc", "linux"],
  },
  async (ctx, n) => {
    const instance = await ctx.start({ workers: n });
    ctx.step(`waiting for ${n} workers to serve on port ${instance.port}`);
    const { model, elapsedMs } = await observeWorkers(instance, n);
    recordProcesses(ctx.evidence, model);
    ctx.evidence.countedAfterMs = Math.round(elapsedMs);
    const nested = model.nested[0];
    if (nested) {
      return fail(
        `pid ${nested.ancestor} listens on the port while its descendant ${nested.descendant} listens too: two layers serve`,
        `${n} workers below one primary that serves nothing itself`,
        `${model.nested.length} nested pair(s); workers ${pids(model.workers)}`,
        HINTS.nested,
      );
    }
    // Pids read from /proc are distinct by construction; the count is what can be wrong.
    const count = processCount(
      "worker processes",
      n,
      model.workers,
      model.workers.length < n ? HINTS.missingWorkers : undefined,
    );
    const others = describeRoles(model);
    if (count.ok) return pass(others ? `${count.summary} (${others})` : count.summary);
    // Fewer than asked: the checks that judge each worker cannot tell which processes to look at.
    return model.workers.length < n ? { ...count.outcome, cause: "workers-missing" } : count.outcome;
  },
);
