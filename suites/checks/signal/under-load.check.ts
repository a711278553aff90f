import { readFile } from "node:fs/promises";
import { check } from "../../harness/check.ts";
import { HOST } from "../../harness/instance.ts";
import { keepAliveLoad, UNDER_LOAD } from "../../harness/keepalive-load.ts";
import { fail, pass } from "../../harness/outcome.ts";
import { settledWorkers } from "../../harness/settle.ts";
import { describeExit } from "../../harness/verify.ts";

async function tcpMigrateReq(): Promise<string> {
  return (await readFile("/proc/sys/net/ipv4/tcp_migrate_req", "utf8").catch(() => "unavailable")).trim();
}

check(
  "SIGNAL-5",
  { title: "SIGTERM under load loses no accepted request", needs: ["signals"] },
  async (ctx) => {
    const instance = await ctx.start({ workers: 2 });
    await settledWorkers(instance, 2);
    let signalledAt = 0;
    const tally = await keepAliveLoad({
      host: HOST,
      port: instance.port,
      path: ctx.manifest.routes.root,
      ...UNDER_LOAD,
      event: () => {
        signalledAt = instance.proc.elapsedMs();
        instance.proc.signal("SIGTERM");
      },
    });
    const exit = await instance.waitExit(ctx.manifest.stopTimeoutMs);
    const drainMs = exit ? Math.round(exit.atMs - signalledAt) : null;
    ctx.evidence.load = tally;
    ctx.evidence.drainMs = drainMs;
    ctx.evidence.exit = describeExit(exit);
    ctx.evidence.tcpMigrateReq = await tcpMigrateReq();
    const lost = tally.lostOnAcceptedConnections + tally.timeouts;
    const figures = `${tally.okAfterEvent} answered after SIGTERM, drained in ${drainMs ?? "?"} ms, ${tally.refusedAfterEvent} later connection attempt(s) refused`;
    if (lost > 0) {
      return fail(
        `${lost} request(s) on connections accepted before SIGTERM were lost (${tally.lostOnAcceptedConnections} reset or closed unanswered, ${tally.timeouts} timed out)`,
        "every request on an accepted connection answered",
        figures,
      );
    }
    return pass(`0 of ${tally.requestsSent} requests lost; ${figures}`);
  },
);
