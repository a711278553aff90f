import { observeWorkers } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { HINTS } from "../../harness/hints.ts";
import { fail, pass } from "../../harness/outcome.ts";
import { describeRoles, describeSockets, pids, processCount, recordProcesses } from "../../harness/verify.ts";

check(
  "SPAWN-1",
  {
    title: "N worker processes below the started one",
    observes: true,
    // Each case starts its own instance and mostly waits for it to settle: side by side, the two waits
    // overlap (the group's later checks look at the same instances, already settled).
    concurrent: true,
    cases: [2, 4],
    caseLabel: (n) => `workers=${n}`,
    needs: ["proc", "linux"],
  },
  async (ctx, n) => {
    const instance = await ctx.start({ workers: n });
    ctx.step(`waiting for ${n} workers to serve on port ${instance.port}`);
    const { model, sockets, elapsedMs, settledBy } = await observeWorkers(instance, n);
    recordProcesses(ctx.evidence, model);
    ctx.evidence.countedAfterMs = Math.round(elapsedMs);
    ctx.evidence.settledBy = settledBy;
    // Fewer than asked: the checks that judge each worker cannot tell which processes to look at,
    // whatever else is wrong (a primary that serves beside N - 1 workers is both).
    const short = model.workers.length < n ? ("workers-missing" as const) : undefined;
    const settled = settledBy === "quiet" ? " (the launch then stopped changing: settled)" : "";
    const nested = model.nested[0];
    if (nested) {
      return fail(
        `pid ${nested.ancestor} listens on the port while its descendant ${nested.descendant} listens too: two layers serve${
          short ? `, and ${model.workers.length} worker process(es) below it instead of ${n}` : ""
        }`,
        `${n} workers below one primary that serves nothing itself`,
        `${model.nested.length} nested pair(s); workers ${pids(model.workers)}`,
        HINTS.nested,
        short,
      );
    }
    // Pids read from /proc are distinct by construction; the count is what can be wrong.
    const count = processCount(
      "worker processes",
      n,
      model.workers,
      short ? HINTS.missingWorkers : undefined,
    );
    const others = describeRoles(model);
    if (count.ok) return pass(others ? `${count.summary} (${others})` : count.summary);
    if (count.outcome.status !== "fail") return count.outcome;
    // What else the kit saw, so that a count that looks wrong can be told from workers the kit missed.
    const { sent, unattributed } = instance.probes;
    const byPrimary = instance.accepted.get(model.primaryPid) ?? 0;
    const seenBesides = [
      others,
      describeSockets(sockets),
      sent > 0
        ? `${sent} probe connection(s): ${unattributed} not seen accepted, ${byPrimary} accepted by the primary`
        : "",
    ].filter(Boolean);
    return {
      ...count.outcome,
      summary: `${count.outcome.summary}${settled}`,
      actual: [count.outcome.actual, ...seenBesides].filter(Boolean).join("; "),
      ...(short ? { cause: short } : {}),
    };
  },
);
