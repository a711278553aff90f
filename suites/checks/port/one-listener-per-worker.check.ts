import { startObserved } from "../../../targets/observe.ts";
import { ownership } from "../../../targets/roles.ts";
import { check } from "../../harness/check.ts";
import { HINTS } from "../../harness/hints.ts";
import { fail, pass } from "../../harness/outcome.ts";
import { describeSockets, pids, recordProcesses } from "../../harness/verify.ts";

check(
  "PORT-1",
  {
    title: "one LISTEN socket per worker, held by that worker alone",
    observes: true,
    cases: [4],
    caseLabel: (n) => `workers=${n}`,
    needs: ["proc", "linux"],
  },
  async (ctx, n) => {
    ctx.step(`waiting for ${n} workers to serve`);
    const { instance, model, sockets } = await startObserved(ctx.start, n);
    const own = ownership(sockets, model.workers, model.primaryPid);
    recordProcesses(ctx.evidence, model);
    ctx.evidence.listeners = sockets;
    ctx.evidence.ownership = own;
    const expected = `${model.workers.length} LISTEN sockets on port ${instance.port}, one held by each worker alone`;
    if (model.workers.length === 0)
      return fail(
        "no worker process to hold a socket",
        expected,
        describeSockets(sockets),
        HINTS.missingWorkers,
      );
    if (own.shared.length > 0) {
      return fail(
        `${own.shared.length} LISTEN socket(s) shared by several processes (inherited, not bound per worker)`,
        expected,
        describeSockets(sockets),
        HINTS.sharedListener,
      );
    }
    if (own.workersWithout.length > 0) {
      return fail(
        `${own.workersWithout.length} of ${model.workers.length} workers hold no LISTEN socket`,
        expected,
        `${describeSockets(sockets)}; workers without: ${pids(own.workersWithout)}`,
        own.heldByPrimary > 0 ? HINTS.handedOver : HINTS.missingWorkers,
      );
    }
    if (own.workersWithSeveral.length > 0) {
      return fail(
        `workers ${pids(own.workersWithSeveral)} hold several LISTEN sockets`,
        expected,
        describeSockets(sockets),
      );
    }
    if (own.foreign.length > 0 || own.heldByPrimary > 0) {
      const others = [...own.foreign, ...(own.heldByPrimary > 0 ? [model.primaryPid] : [])];
      return fail(
        `LISTEN sockets held by processes that are not workers: ${pids(others)}`,
        expected,
        describeSockets(sockets),
        own.heldByPrimary > 0 ? HINTS.primaryListens : undefined,
      );
    }
    return pass(`${sockets.length} LISTEN sockets, one per worker`);
  },
);
