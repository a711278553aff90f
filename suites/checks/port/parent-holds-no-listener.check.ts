import { check } from "../../harness/check.ts";
import { fail, pass } from "../../harness/outcome.ts";
import { startSettled } from "../../harness/settle.ts";
import { describeSockets } from "../../harness/verify.ts";

check(
  "PORT-2",
  {
    title: "the started process holds no listening socket",
    cases: [4],
    caseLabel: (n) => `workers=${n}`,
    needs: ["proc", "linux"],
  },
  async (ctx, n) => {
    const { instance, sockets } = await startSettled(ctx, n);
    const held = sockets.filter((s) => s.holders.includes(instance.pid));
    ctx.evidence.startedPid = instance.pid;
    ctx.evidence.listeners = sockets;
    if (held.length === 0)
      return pass(`none of the ${sockets.length} LISTEN sockets is held by the started process`);
    return fail(
      `the started process (pid ${instance.pid}) holds ${held.length} LISTEN socket(s)`,
      "no LISTEN socket held by the started process",
      describeSockets(held),
    );
  },
);
