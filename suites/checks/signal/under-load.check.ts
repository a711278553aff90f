import { readFile } from "node:fs/promises";
import { startObserved } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { HINTS } from "../../harness/hints.ts";
import { KIT_LATE_MS, type LoadTally, loadUnder, UNDER_LOAD } from "../../harness/keepalive-load.ts";
import { loadAlone } from "../../harness/load-alone.ts";
import { cannotJudge, fail, pass } from "../../harness/outcome.ts";
import { describeExit } from "../../harness/verify.ts";

async function tcpMigrateReq(): Promise<string> {
  return (await readFile("/proc/sys/net/ipv4/tcp_migrate_req", "utf8").catch(() => "unavailable")).trim();
}

/**
 * Runs at most. Another run is made only when a run settled nothing: its one kind of loss was requests
 * the kit itself sent late on an idle connection, which a server may close (KIT_LATE_MS), and which a
 * server that drops busy connections loses too. A loss of a request sent at once, or no exit, decides.
 */
export const UNDER_LOAD_RUNS_AT_MOST = 3;

interface Run {
  load: LoadTally;
  drainMs: number | null;
  exit: string;
  exited: boolean;
}

const certainLoss = (tally: LoadTally) => tally.lostOnAcceptedConnections + tally.timeouts;

check(
  "SIGNAL-5",
  { title: "SIGTERM under load loses no accepted request", needs: ["signals"] },
  async (ctx) => {
    const runs: Run[] = [];
    ctx.evidence.runs = runs;
    ctx.evidence.tcpMigrateReq = await tcpMigrateReq();
    for (let i = 1; i <= UNDER_LOAD_RUNS_AT_MOST; i++) {
      const { tally, instance, signalledAt } = await loadAlone(ctx, async () => {
        ctx.step(`run ${i}: waiting for 2 workers to serve`);
        const { instance } = await startObserved(ctx.start, 2, { settle: false });
        ctx.step(`run ${i}: sending the load; SIGTERM ${UNDER_LOAD.eventAtMs} ms in`);
        let signalledAt = 0;
        const tally = await loadUnder(instance, ctx.manifest.routes.root, {
          event: () => {
            signalledAt = instance.proc.elapsedMs();
            instance.proc.signal("SIGTERM");
          },
          // Once the process has exited nothing more can be lost: the load ends soon after.
          settled: () => instance.waitExit(ctx.manifest.stopTimeoutMs),
        });
        return { tally, instance, signalledAt };
      });
      // The load is over: the rest of a slow stop (a grace period before the workers are killed) is
      // waited for beside the next load, not with every other load held back.
      ctx.step(`run ${i}: waiting for the started process to exit after SIGTERM`);
      const exit = await instance.waitExit(ctx.manifest.stopTimeoutMs);
      await instance.dispose();
      runs.push({
        load: tally,
        drainMs: exit ? Math.round(exit.atMs - signalledAt) : null,
        exit: describeExit(exit),
        exited: exit !== undefined,
      });
      if (!exit || certainLoss(tally) > 0 || tally.lostAfterKitDelay === 0) break;
    }
    ctx.evidence.runsMade = runs.length;
    const last = runs.at(-1) as Run;
    const tally = last.load;
    const expected = `every request on an accepted connection answered, and an exit within ${ctx.manifest.stopTimeoutMs} ms`;
    // Requests the kit itself sent late on an idle connection: HTTP lets a server close it (KIT_LATE_MS).
    const lateIn = runs.filter((run) => run.load.lostAfterKitDelay > 0);
    const late =
      lateIn.length > 0
        ? `; ${lateIn.map((run) => run.load.lostAfterKitDelay).join(" and ")} closed unanswered in ${lateIn.length} run(s) after the kit sent them on a connection possibly idle ${KIT_LATE_MS} ms or more (not counted)`
        : "";
    const figures = `${tally.okAfterEvent} answered after SIGTERM, drained in ${last.drainMs ?? "?"} ms, ${tally.refusedAfterEvent} later connection attempt(s) refused${late}`;
    const runsText = runs.length > 1 ? ` (run ${runs.length} of ${runs.length})` : "";
    if (certainLoss(tally) > 0) {
      return fail(
        `${certainLoss(tally)} request(s) on connections accepted before SIGTERM were lost${runsText} (${tally.lostOnAcceptedConnections} reset or closed unanswered, ${tally.timeouts} timed out)`,
        expected,
        figures,
        HINTS.droppedInFlight,
      );
    }
    // Nothing lost means nothing only if a shutdown happened.
    if (!last.exited) {
      return fail(
        `nothing lost, but the started process still runs ${ctx.manifest.stopTimeoutMs} ms after SIGTERM`,
        expected,
        `no shutdown; ${tally.ok} answered`,
        HINTS.noExit,
      );
    }
    if (tally.lostAfterKitDelay > 0) {
      return cannotJudge(
        `in each of ${runs.length} runs the only requests lost were ones the kit may have sent late on an idle connection (its own load may have been starved)${late.replace(/^; /, ": ")}`,
      );
    }
    return pass(`0 of ${tally.requestsSent} requests lost${runsText}; ${figures}`);
  },
);
