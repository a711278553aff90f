import { startObserved } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { info } from "../../harness/outcome.ts";

check("INFO-2", { title: "time from launch to ready", needs: ["proc", "linux"] }, async (ctx) => {
  const n = 4;
  const { instance, sockets } = await startObserved(ctx.start, n);
  const readyMs = Math.round(instance.readyMs ?? 0);
  const allListeningMs = Math.round(instance.proc.elapsedMs());
  ctx.evidence.readyMs = readyMs;
  ctx.evidence.allListeningMs = allListeningMs;
  ctx.evidence.listeners = sockets.length;
  // A time on a busy host says little about the server alone: how much of it was a wait for a CPU is said too.
  const waited = Math.round(instance.readyCpuWaitMs ?? 0);
  const ofWhich = waited >= 10 ? ` (${waited} ms of it waiting for a CPU)` : "";
  return info(
    `ready path answered after ${readyMs} ms${ofWhich}; ${sockets.length} LISTEN sockets by ${allListeningMs} ms (workers=${n})`,
  );
});
