import { startObserved } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { HINTS } from "../../harness/hints.ts";
import { fail, pass } from "../../harness/outcome.ts";
import { describeSockets, recordProcesses } from "../../harness/verify.ts";

check(
  "PORT-2",
  {
    title: "the primary holds no listening socket",
    observes: true,
    cases: [4],
    caseLabel: (n) => `workers=${n}`,
    needs: ["proc", "linux"],
  },
  async (ctx, n) => {
    ctx.step(`waiting for ${n} workers to serve`);
    const { model, sockets } = await startObserved(ctx.start, n);
    recordProcesses(ctx.evidence, model);
    ctx.evidence.listeners = sockets;
    // The primary below any launcher; a launcher holding the port would be the primary (it serves).
    const primary = model.primaryPid;
    const held = sockets.filter((s) => s.holders.includes(primary));
    const who =
      model.launchers.length > 0
        ? `the primary (pid ${primary}, below a launcher)`
        : `the started process (pid ${primary})`;
    if (held.length === 0) return pass(`none of the ${sockets.length} LISTEN sockets is held by ${who}`);
    const shared = held.some((s) => s.holders.length > 1);
    const workersListen = model.rows.some((row) => row.role === "worker" && row.listening.length > 0);
    return fail(
      `${who} holds ${held.length} LISTEN socket(s)`,
      `no LISTEN socket held by ${who}`,
      describeSockets(held),
      shared ? HINTS.sharedListener : workersListen ? HINTS.primaryListens : HINTS.handedOver,
    );
  },
);
