import { readFile } from "node:fs/promises";
import { startObserved } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { HINTS } from "../../harness/hints.ts";
import { KIT_LATE_MS, loadUnder, UNDER_LOAD } from "../../harness/keepalive-load.ts";
import { loadAlone } from "../../harness/load-alone.ts";
import { fail, pass } from "../../harness/outcome.ts";
import { describeExit } from "../../harness/verify.ts";

async function tcpMigrateReq(): Promise<string> {
  return (await readFile("/proc/sys/net/ipv4/tcp_migrate_req", "utf8").catch(() => "unavailable")).trim();
}

check(
  "SIGNAL-5",
  { title: "SIGTERM under load loses no accepted request", needs: ["signals"] },
  async (ctx) => {
    const { tally, exit, signalledAt } = await loadAlone(ctx, async () => {
      ctx.step("waiting for 2 workers to serve");
      const { instance } = await startObserved(ctx.start, 2, { settle: false });
      ctx.step(`sending the load; SIGTERM ${UNDER_LOAD.eventAtMs} ms in`);
      let signalledAt = 0;
      const tally = await loadUnder(instance, ctx.manifest.routes.root, {
        event: () => {
          signalledAt = instance.proc.elapsedMs();
          instance.proc.signal("SIGTERM");
        },
        // Once the process has exited nothing more can be lost: the load ends soon after.
        settled: () => instance.waitExit(ctx.manifest.stopTimeoutMs),
      });
      const exit = await instance.waitExit(ctx.manifest.stopTimeoutMs);
      return { tally, exit, signalledAt };
    });
    const drainMs = exit ? Math.round(exit.atMs - signalledAt) : null;
    ctx.evidence.load = tally;
    ctx.evidence.drainMs = drainMs;
    ctx.evidence.exit = describeExit(exit);
    ctx.evidence.tcpMigrateReq = await tcpMigrateReq();
    const lost = tally.lostOnAcceptedConnections + tally.timeouts;
    // Requests the kit itself sent late on an idle connection: HTTP lets a server close it (KIT_LATE_MS).
    const late =
      tally.lostAfterKitDelay > 0
        ? `; ${tally.lostAfterKitDelay} closed unanswered after the kit sent them on a connection idle ${KIT_LATE_MS} ms or more (not counted)`
        : "";
    const figures = `${tally.okAfterEvent} answered after SIGTERM, drained in ${drainMs ?? "?"} ms, ${tally.refusedAfterEvent} later connection attempt(s) refused${late}`;
    const expected = `every request on an accepted connection answered, and an exit within ${ctx.manifest.stopTimeoutMs} ms`;
    if (lost > 0) {
      return fail(
        `${lost} request(s) on connections accepted before SIGTERM were lost (${tally.lostOnAcceptedConnections} reset or closed unanswered, ${tally.timeouts} timed out)`,
        expected,
        figures,
        HINTS.droppedInFlight,
      );
    }
    // Nothing lost means nothing only if a shutdown happened.
    if (!exit) {
      return fail(
        `nothing lost, but the started process still runs ${ctx.manifest.stopTimeoutMs} ms after SIGTERM`,
        expected,
        `no shutdown; ${tally.ok} answered`,
        HINTS.noExit,
      );
    }
    return pass(`0 of ${tally.requestsSent} requests lost; ${figures}`);
  },
);
