import { stillAlive } from "../../../common/probes/procfs.ts";
import { pollUntil } from "../../../targets/instance.ts";
import { type Replacement, startObserved, waitForReplacement } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { loadUnder, UNDER_LOAD } from "../../harness/keepalive-load.ts";
import { loadAlone } from "../../harness/load-alone.ts";
import { fail, notReplacedWhy, pass } from "../../harness/outcome.ts";
import { pids, processCount, recordProcesses } from "../../harness/verify.ts";

check(
  "RESPAWN-2",
  { title: "a worker killed under load is replaced", needs: ["proc", "linux"] },
  async (ctx) => {
    const n = 2;
    let recovery: Promise<Replacement> | undefined;
    // The start and the load alone; the wait for the replacement (up to the start timeout) beside others.
    const loaded = await loadAlone(ctx, async () => {
      ctx.step(`waiting for ${n} workers to serve`);
      const { instance, model } = await startObserved(ctx.start, n, { settle: false });
      recordProcesses(ctx.evidence, model);
      const count = processCount("worker processes", n, model.workers);
      if (!count.ok) return { outcome: count.outcome };
      const victim = model.workers[0] as number;
      ctx.step(`sending the load; worker ${victim} killed ${UNDER_LOAD.eventAtMs} ms in`);
      const tally = await loadUnder(instance, ctx.manifest.routes.root, {
        event: () => {
          process.kill(victim, "SIGKILL");
          // Workers by role, not LISTEN holders: a primary that holds a shared socket is no worker.
          recovery = waitForReplacement(instance, n, victim, ctx.manifest.startTimeoutMs);
        },
        // Replaced: the load goes on a little (new connections must be answered) and ends.
        settled: () => recovery,
        // New connections are the server's to answer once the kernel has closed the dead worker's files.
        eventOver: () =>
          pollUntil(
            () => stillAlive(victim),
            (alive) => !alive,
            ctx.manifest.stopTimeoutMs,
            2,
          ),
      });
      return { victim, tally };
    });
    if ("outcome" in loaded) return loaded.outcome;
    const { victim, tally } = loaded;
    ctx.step(`waiting for ${n} workers to serve again after the kill`);
    const recovered: Replacement = await (recovery ??
      Promise.resolve({ ok: false, workers: [], elapsedMs: 0, settledBy: "timeout" as const }));
    // Measured when the poll saw it, not when the load ended.
    const recoveredMs = recovered.ok ? Math.round(recovered.elapsedMs) : null;
    ctx.evidence.killed = victim;
    ctx.evidence.load = tally;
    ctx.evidence.workersAfter = recovered.workers;
    ctx.evidence.recoveredWithinMs = recoveredMs;
    ctx.evidence.settledBy = recovered.settledBy;
    const window =
      tally.lostInEventWindow > 0
        ? `, ${tally.lostInEventWindow} queued on its socket before the kernel closed it`
        : "";
    const figures = `${tally.lostOnAcceptedConnections} request(s) lost on connections open at the kill${window}, ${tally.okAfterEvent} answered after it`;
    if (!recovered.ok) {
      return fail(
        `worker ${victim} was not replaced ${notReplacedWhy(recovered, ctx.manifest.startTimeoutMs)}`,
        `${n} worker processes serving the port, ${victim} not among them`,
        `workers now: ${pids([...new Set(recovered.workers)])}; ${figures}`,
      );
    }
    if (tally.lostOnNewConnections + tally.timeouts > 0) {
      return fail(
        `${tally.lostOnNewConnections + tally.timeouts} request(s) on connections opened after the killed worker was gone failed`,
        "new connections answered while the worker is replaced",
        figures,
      );
    }
    return pass(`${n} workers serving again ${recoveredMs} ms after the kill; ${figures}`);
  },
);
