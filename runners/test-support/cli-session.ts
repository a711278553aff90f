import { randomUUID } from "node:crypto";
import { type CliRun, runCli } from "../../common/run-cli.ts";
import { SESSION_ENV } from "../../targets/launch.ts";
import { findLeftovers, type Leftover } from "../../targets/leftovers.ts";

/**
 * A CLI run in a session of its own inside the test session: its leftovers can be looked for while
 * other runs are still going (tests side by side), and the audit at the end of the project still finds
 * them (a launch's tag starts with its session, see targets/leftovers.ts).
 */
export async function runCliAlone(
  args: readonly string[],
): Promise<{ run: CliRun; leftovers: () => Promise<Leftover[]> }> {
  const session = `${process.env[SESSION_ENV] ?? "-"}:run-${randomUUID().slice(0, 8)}`;
  const run = await runCli(args, { [SESSION_ENV]: session });
  return { run, leftovers: () => findLeftovers(session) };
}
