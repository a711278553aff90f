import { check } from "../../harness/check.ts";
import { pass } from "../../harness/outcome.ts";
import { settledWorkers } from "../../harness/settle.ts";
import { processCount } from "../../harness/verify.ts";

check(
  "SPAWN-1",
  {
    title: "N worker processes below the started one",
    cases: [2, 4],
    caseLabel: (n) => `workers=${n}`,
    needs: ["proc", "linux"],
  },
  async (ctx, n) => {
    const instance = await ctx.start({ workers: n });
    const { workers, elapsedMs } = await settledWorkers(instance, n);
    ctx.evidence.startedPid = instance.pid;
    ctx.evidence.workers = workers.map((w) => ({ pid: w.pid, ppid: w.ppid, cmdline: w.cmdline.join(" ") }));
    ctx.evidence.countedAfterMs = Math.round(elapsedMs);
    // Pids read from /proc are distinct by construction; the count is what can be wrong.
    const count = processCount(
      "worker processes",
      n,
      workers.map((w) => w.pid),
    );
    return count.ok ? pass(count.summary) : count.outcome;
  },
);
