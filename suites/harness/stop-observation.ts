import type { ListeningSocket } from "../../common/probes/procfs.ts";
import { pollUntil } from "../../targets/instance.ts";
import type { ExitInfo } from "../../targets/launch.ts";
import { startObserved } from "../../targets/observe.ts";
import type { ProcessModel } from "../../targets/roles.ts";
import type { CheckContext } from "./check.ts";

/** What one signal to the started process did: the checks of SIGNAL-1, -2 and -3 each judge a part. */
export interface StopSeen {
  /** The processes before the signal. */
  model: ProcessModel;
  exit: ExitInfo | undefined;
  /** Lines printed after the signal, read to their end when the started process exited. */
  linesAfter: string[];
  /** Processes of the launch still alive, and LISTEN sockets left, when all were gone or the time was up. */
  alive: Array<{ pid: number; startTicks: number; cmdline: string }>;
  sockets: ListeningSocket[];
  /** Milliseconds from the exit until all were gone (or the time was up), and from the signal. */
  goneAfterExitMs: number;
  goneAfterSignalMs: number;
}

/**
 * Starts the target at 2 workers, waits until they serve, sends `signal` to the started process and
 * watches the stop to its end: the exit (within the stop timeout), every process of the launch gone
 * and the port free (within what is left of it), and the output read to its end. One observation
 * serves SIGNAL-1, SIGNAL-2 and SIGNAL-3 (see CheckContext.seen).
 */
export async function observeStop(ctx: CheckContext, signal: NodeJS.Signals): Promise<StopSeen> {
  // However many workers there are (SPAWN-1 judges the count), every process of the launch must go.
  ctx.step("waiting for 2 workers to serve");
  const { instance, model } = await startObserved(ctx.start, 2, { settle: false });
  const mark = instance.outputMark();
  const sent = performance.now();
  ctx.step(`waiting for the started process to exit after ${signal}`);
  const exit = await instance.stop(signal);
  const left = Math.max(0, ctx.manifest.stopTimeoutMs - (performance.now() - sent));
  ctx.step(`waiting for every process of the launch to be gone after ${signal}`);
  const polled = await pollUntil(
    async () => ({ alive: await instance.proc.liveMembers(), sockets: await instance.listeners() }),
    (state) => state.alive.length === 0 && state.sockets.length === 0,
    left,
  );
  const goneAfterSignalMs = performance.now() - sent;
  if (exit) await instance.proc.outputSettled;
  return {
    model,
    exit,
    linesAfter: instance.outputSince(mark),
    alive: polled.value.alive,
    sockets: polled.value.sockets,
    goneAfterExitMs: polled.elapsedMs,
    goneAfterSignalMs,
  };
}
