import type { Evidence } from "../../results/conformance.ts";
import type { Observation } from "../../targets/observe.ts";
import { servingPids } from "../../targets/roles.ts";
import { HINTS } from "./hints.ts";
import { fail, firstFailure, type Outcome } from "./outcome.ts";
import { describeSockets, pids, recordProcesses } from "./verify.ts";

/**
 * The shared verdict of the one-process modes (fallback platforms, debug): one
 * process serves (it may sit below a launcher, and helpers may run beside it),
 * it holds every LISTEN socket on the port, and it answers.
 */
export function singleProcessFindings(
  evidence: Evidence,
  { model, sockets }: Pick<Observation, "model" | "sockets">,
  status: number,
  requested: string,
): Outcome {
  recordProcesses(evidence, model);
  evidence.listeners = sockets;
  evidence.rootStatus = status;
  const serving = servingPids(model);
  const server = serving[0];
  const otherHolders = [...new Set(sockets.flatMap((s) => s.holders))].filter((pid) => pid !== server);
  const helpers = model.helpers.length > 0 ? ` (helpers ${pids(model.helpers)} serve nothing)` : "";
  return firstFailure([
    serving.length === 1
      ? { ok: true, summary: `one serving process, pid ${server} (${requested})${helpers}` }
      : {
          ok: false,
          outcome: fail(
            `${serving.length} serving processes (${requested})`,
            "one serving process",
            `serving: ${pids(serving)}`,
            serving.length > 1 ? HINTS.forkedAnyway : undefined,
          ),
        },
    sockets.length > 0 && otherHolders.length === 0
      ? { ok: true, summary: "it holds the port alone" }
      : {
          ok: false,
          outcome: fail(
            "the port is not held by the serving process alone",
            `LISTEN sockets held by pid ${server ?? "?"} only`,
            describeSockets(sockets),
          ),
        },
    status === 200
      ? { ok: true, summary: "root answers 200" }
      : { ok: false, outcome: fail(`root answered ${status}`, "200", String(status)) },
  ]);
}
