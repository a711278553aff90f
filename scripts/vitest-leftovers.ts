import { randomUUID } from "node:crypto";
import { SESSION_ENV } from "../targets/launch.ts";
import { findLeftovers } from "../targets/leftovers.ts";

/**
 * The leftover audit: once a test project is done, nothing the kit started may
 * still run. Survivors are named, killed, and fail the run.
 */
export default function setup(): () => Promise<void> {
  // Workers and the CLIs they run inherit the session, and so does everything they launch.
  const session = randomUUID();
  process.env[SESSION_ENV] = session;
  return async () => {
    // Let the last SIGKILLs land before looking.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const leftovers = await findLeftovers(session);
    if (leftovers.length === 0) return;
    for (const { pid } of leftovers) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    const list = leftovers.map((l) => `${l.pid} (${l.cmdline})`).join("; ");
    throw new Error(
      `leftover audit: ${leftovers.length} process(es) started by the tests were still running: ${list}`,
    );
  };
}
