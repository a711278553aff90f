import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sleep } from "../../common/sleep.ts";
import type { CheckContext } from "./check.ts";

/** A directory the CLI names: whoever made it is loading a target; the others wait. */
export const LOAD_LOCK_ENV = "BUSTBENCH_LOAD_LOCK";

function holderAlive(dir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dir, "pid"), "utf8"));
  } catch {
    return true; // made, its pid not written yet
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `body` (a start and a load whose losses are counted) while no other check loads a target:
 * the loading checks run side by side, so that one's waiting (for a worker that is never replaced)
 * costs no time, but their starts and loads one at a time, so that no load shares the CPU with
 * another. A holder that died without letting go is passed over.
 */
export async function loadAlone<T>(
  ctx: Pick<CheckContext, "step" | "evidence" | "notCounted">,
  body: () => Promise<T>,
): Promise<T> {
  const dir = process.env[LOAD_LOCK_ENV];
  if (!dir) return body();
  const started = performance.now();
  for (let waited = false; ; waited = true) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, "pid"), String(process.pid));
      break;
    } catch (error) {
      // Anything but a lock already held is a fault to report, not a reason to wait.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (!waited) ctx.step("waiting until no other check loads a target");
      if (!holderAlive(dir)) rmSync(dir, { recursive: true, force: true });
      await sleep(20);
    }
  }
  // Part of the case's duration, not of its own work: said apart, and not counted against its deadline.
  const waited = performance.now() - started;
  ctx.evidence.waitedForOtherLoadsMs = Math.round(waited);
  ctx.notCounted(waited);
  try {
    return await body();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
