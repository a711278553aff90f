import type { ListeningSocket, ProcessInfo } from "../../common/probes/procfs.ts";
import type { Evidence } from "../results/types.ts";
import { fail, firstFailure, type Outcome } from "./outcome.ts";
import { describeSockets, pids } from "./verify.ts";

/** The shared verdict of the one-process modes (fallback platforms, debug): one serving process, answering. */
export function singleProcessFindings(
  evidence: Evidence,
  startedPid: number,
  workers: readonly ProcessInfo[],
  sockets: readonly ListeningSocket[],
  status: number,
  requested: string,
): Outcome {
  evidence.startedPid = startedPid;
  evidence.processesBelow = workers.map((w) => ({ pid: w.pid, cmdline: w.cmdline.join(" ") }));
  evidence.listeners = sockets;
  evidence.rootStatus = status;
  const otherHolders = [...new Set(sockets.flatMap((s) => s.holders))].filter((pid) => pid !== startedPid);
  return firstFailure([
    workers.length === 0
      ? { ok: true, summary: `no process below the started one (${requested})` }
      : {
          ok: false,
          outcome: fail(
            `${workers.length} process(es) below the started one (${requested})`,
            "one serving process: none below the started one",
            `${workers.length} below it: ${pids(workers.map((w) => w.pid))}`,
          ),
        },
    sockets.length > 0 && otherHolders.length === 0
      ? { ok: true, summary: "the started process holds the port" }
      : {
          ok: false,
          outcome: fail(
            "the port is not held by the started process alone",
            `LISTEN sockets held by pid ${startedPid} only`,
            describeSockets(sockets),
          ),
        },
    status === 200
      ? { ok: true, summary: "root answers 200" }
      : { ok: false, outcome: fail(`root answered ${status}`, "200", String(status)) },
  ]);
}
