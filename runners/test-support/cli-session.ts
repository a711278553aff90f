import { randomUUID } from "node:crypto";
import { freshNetwork } from "../../common/fresh-network.ts";
import { type CliRun, runCli } from "../../common/run-cli.ts";
import { SESSION_ENV } from "../../targets/launch.ts";
import { findLeftovers, type Leftover } from "../../targets/leftovers.ts";

/**
 * A CLI run in a session of its own inside the test session: its leftovers can be looked for while
 * other runs are still going (tests side by side), and the audit at the end of the project still finds
 * them (a launch's tag starts with its session, see targets/leftovers.ts). As root, in a network
 * namespace of its own too: each run is judged on its own connections, not on the tens of thousands of
 * TIME_WAIT connections the runs beside it and an earlier test phase leave (every look at
 * /proc/net/tcp reads them all; the round-robin control's SPAWN-1, its probes unattributed, once settled
 * with 0 workers beside them). The CPU hogs of the loaded phase still load it.
 */
export async function runCliAlone(
  args: readonly string[],
): Promise<{ run: CliRun; leftovers: () => Promise<Leftover[]> }> {
  const session = `${process.env[SESSION_ENV] ?? "-"}:run-${randomUUID().slice(0, 8)}`;
  const run = await runCli(args, { [SESSION_ENV]: session }, undefined, await freshNetwork());
  return { run, leftovers: () => findLeftovers(session) };
}
