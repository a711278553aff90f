import { check } from "../../harness/check.ts";
import { fail, pass } from "../../harness/outcome.ts";
import { startSettled } from "../../harness/settle.ts";
import { describeSockets, ownership, pids } from "../../harness/verify.ts";

check(
  "PORT-1",
  {
    title: "one LISTEN socket per worker, held by that worker alone",
    cases: [4],
    caseLabel: (n) => `workers=${n}`,
    needs: ["proc", "linux"],
  },
  async (ctx, n) => {
    const { instance, workerPids, sockets } = await startSettled(ctx, n);
    const own = ownership(sockets, workerPids, instance.pid);
    ctx.evidence.startedPid = instance.pid;
    ctx.evidence.workers = workerPids;
    ctx.evidence.listeners = sockets;
    ctx.evidence.ownership = own;
    const expected = `${workerPids.length} LISTEN sockets on port ${instance.port}, one held by each worker alone`;
    if (workerPids.length === 0)
      return fail("no worker process to hold a socket", expected, describeSockets(sockets));
    if (own.shared.length > 0) {
      return fail(
        `${own.shared.length} LISTEN socket(s) shared by several processes (inherited, not bound per worker)`,
        expected,
        describeSockets(sockets),
      );
    }
    if (own.workersWithout.length > 0) {
      return fail(
        `${own.workersWithout.length} of ${workerPids.length} workers hold no LISTEN socket`,
        expected,
        `${describeSockets(sockets)}; workers without: ${pids(own.workersWithout)}`,
      );
    }
    if (own.workersWithSeveral.length > 0) {
      return fail(
        `workers ${pids(own.workersWithSeveral)} hold several LISTEN sockets`,
        expected,
        describeSockets(sockets),
      );
    }
    if (own.foreign.length > 0) {
      return fail(
        `LISTEN sockets held by processes outside the target: ${pids(own.foreign)}`,
        expected,
        describeSockets(sockets),
      );
    }
    return pass(`${sockets.length} LISTEN sockets, one per worker`);
  },
);
