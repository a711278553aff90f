import { readFile } from "node:fs/promises";
import type { ShutdownLossRun } from "../../../results/bench.ts";
import { lossSpan } from "../../../results/timeline.ts";
import { HOST } from "../../../targets/instance.ts";
import { startObserved } from "../../../targets/observe.ts";
import { measureShutdownLoss } from "../../../targets/shutdown-loss.ts";
import { check } from "../../harness/check.ts";
import { HINTS } from "../../harness/hints.ts";
import { loadAlone } from "../../harness/load-alone.ts";
import { cannotJudge, fail, pass } from "../../harness/outcome.ts";
import { SIGNALS } from "./signals.ts";

/**
 * The load of SIGNAL-6, as SPEC.md describes it: fresh connections at a fixed rate, the signal 0.3 s in,
 * until 0.2 s after the started process has exited and no listener is left on the port (the stop
 * timeout after the signal at most). Connections offered once every listener is closed are refused
 * whatever the server does, and judge nothing; a listener that outlives the started process (workers
 * that drain after their primary exits, a launcher that dies first) can still reset its queue.
 */
export const SHUTDOWN_LOAD = {
  ratePerS: 2_000,
  signalAtMs: 300,
  endAfterMs: 200,
  runs: 3,
} as const;

function line(run: ShutdownLossRun): string {
  const counts = `${run.answered} answered, ${run.refused} refused, ${run.lost} lost, ${run.timedOut} timed out (${run.queuedAtSignal} queued at the signal)`;
  // Where the losses fall against the stop: before the listeners closed, at the exit, or after it.
  const span = run.timeline ? lossSpan(run.timeline) : undefined;
  if (!span) return counts;
  const { listenersClosedMs, exitMs } = run.timeline?.marks ?? {};
  const marks = [
    listenersClosedMs === undefined ? "" : `the last listener closed at ${listenersClosedMs} ms`,
    exitMs === undefined ? "" : `the exit at ${exitMs} ms`,
  ].filter(Boolean);
  return `${counts}: the lost ones offered ${span.fromMs} to ${span.toMs} ms after the signal${marks.length ? `, ${marks.join(", ")}` : ""}`;
}

check(
  "SIGNAL-6",
  {
    title: "a shutdown loses no accepted connection",
    needs: ["proc", "linux", "signals"],
    cases: SIGNALS,
    // A failure at SIGINT decides it: the SIGTERM case would only add a loaded stop (5 s and more on a
    // server that kills its workers after a grace period).
    firstFailureDecides: true,
  },
  async (ctx, signal) => {
    const runs: ShutdownLossRun[] = [];
    ctx.evidence.load = SHUTDOWN_LOAD;
    ctx.evidence.runs = runs;
    /** Per run: ms from the signal until the kit saw no listener left on the port (null: never, in the load). */
    const listenersClosed: Array<number | null> = [];
    ctx.evidence.listenersClosedAfterMs = listenersClosed;
    ctx.evidence.tcpMigrateReq = (
      await readFile("/proc/sys/net/ipv4/tcp_migrate_req", "utf8").catch(() => "unavailable")
    ).trim();
    await loadAlone(ctx, async () => {
      // Every run's instance started together, before the first load: an idle instance costs the
      // loaded one nothing, and starting them one after another would add up their start times.
      ctx.step(`starting ${SHUTDOWN_LOAD.runs} instances, waiting for 2 workers each to serve`);
      const instances = await Promise.all(
        Array.from(
          { length: SHUTDOWN_LOAD.runs },
          async () => (await startObserved(ctx.start, 2, { settle: false })).instance,
        ),
      );
      for (const [i, instance] of instances.entries()) {
        ctx.step(
          `run ${i + 1}: ${SHUTDOWN_LOAD.ratePerS} new connections/s, ${signal} ${SHUTDOWN_LOAD.signalAtMs} ms in`,
        );
        const { run, listenersClosedAfterMs } = await measureShutdownLoss(
          instance,
          HOST,
          ctx.manifest.readyPath,
          { signal, ...SHUTDOWN_LOAD },
        );
        runs.push(run);
        listenersClosed.push(listenersClosedAfterMs);
        await instance.dispose();
        // No exit, one request lost, or listeners that outlive the stop decide the verdict: more runs
        // could only say the same.
        const last = runs.at(-1);
        if (last?.exitAfterMs === null || (last?.lost ?? 0) + (last?.timedOut ?? 0) > 0) break;
        if (listenersClosedAfterMs === null) break;
      }
    });
    ctx.evidence.runsMade = runs.length;
    const expected = `no connection the kernel accepted lost (reset or closed unanswered, or timed out), in ${SHUTDOWN_LOAD.runs} runs`;
    const lost = runs.reduce((sum, run) => sum + run.lost + run.timedOut, 0);
    const perRun = runs.map((run) => run.lost + run.timedOut).join(", ");
    if (runs.some((run) => run.exitAfterMs === null)) {
      return fail(
        `the started process did not exit within ${ctx.manifest.stopTimeoutMs} ms of ${signal}`,
        expected,
        runs.map(line).join("; "),
        HINTS.noExit,
      );
    }
    if (lost > 0) {
      return fail(
        `${lost} accepted connection(s) lost over ${runs.length} runs (per run: ${perRun})`,
        expected,
        runs.map(line).join("; "),
        HINTS.queuedAtClose,
      );
    }
    if (listenersClosed.some((ms) => ms === null)) {
      return cannotJudge(
        `a listener on the port was still open ${ctx.manifest.stopTimeoutMs} ms after ${signal} (the started process exited): what closing it loses was not seen`,
      );
    }
    return pass(`0 lost in ${runs.length} runs; ${runs.map(line).join("; ")}`);
  },
);
