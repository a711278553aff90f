import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sleep } from "../../common/sleep.ts";
import type { Evidence } from "../../results/conformance.ts";

/** What loadAlone needs of a check's context (CheckContext in check.ts, which imports this file). */
interface LoadContext {
  step(text: string): void;
  evidence: Evidence;
  notCounted(ms: number): void;
}

let gateOpen: Promise<void> | undefined;

/**
 * Resolves once the loads may start (see LOADS_GATE_ENV), at once without a gate. One wait per worker,
 * so that the loads waiting on it resume in the order they asked.
 */
export function loadsMayStart(): Promise<void> {
  const gate = process.env[LOADS_GATE_ENV];
  if (!gate) return Promise.resolve();
  gateOpen ??= (async () => {
    while (!existsSync(gate)) await sleep(20);
  })();
  return gateOpen;
}

/** A directory the CLI names: whoever made it is loading a target; the others wait. */
export const LOAD_LOCK_ENV = "BUSTBENCH_LOAD_LOCK";

/**
 * A file the CLI makes once every check but the loads has ended: no load starts before, so that none
 * shares the CPU with the starts, requests and stops of other checks. (Opened while the long waits still
 * ran, it let the reference lose 29 requests of SIGNAL-5 once beside the CPU hogs: its drain, slowed to
 * a second by the other targets, closed keep-alive connections whose next request was not read yet.)
 */
export const LOADS_GATE_ENV = "BUSTBENCH_LOADS_GATE";

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
export async function loadAlone<T>(ctx: LoadContext, body: () => Promise<T>): Promise<T> {
  const dir = process.env[LOAD_LOCK_ENV];
  if (!dir) return body();
  const started = performance.now();
  // First the loads of this worker, in the order they asked: the loads file declares RESPAWN-2 first,
  // whose wait for a replacement (which may never come) then runs beside the others' loads.
  const before = turn;
  let done: () => void = () => {};
  turn = new Promise<void>((resolve) => {
    done = resolve;
  });
  try {
    await before;
    return await alone(ctx, dir, started, body);
  } finally {
    done();
  }
}

/** The end of the last load this worker queued (see loadAlone). */
let turn: Promise<void> = Promise.resolve();

async function alone<T>(ctx: LoadContext, dir: string, started: number, body: () => Promise<T>): Promise<T> {
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
