import { stillAlive } from "../../../common/probes/procfs.ts";
import { check } from "../../harness/check.ts";
import { pollUntil } from "../../harness/instance.ts";
import { fail, pass } from "../../harness/outcome.ts";
import { settledWorkers } from "../../harness/settle.ts";
import { describeExit, describeSockets, pids } from "../../harness/verify.ts";
import { SIGNALS } from "./signals.ts";

check(
  "SIGNAL-2",
  { title: "every process gone and the port free", cases: SIGNALS, needs: ["proc", "signals"] },
  async (ctx, signal) => {
    const instance = await ctx.start({ workers: 2 });
    // However many workers there are (SPAWN-1 judges the count), every one must go.
    const { workers } = await settledWorkers(instance, 2);
    const sent = performance.now();
    const exit = await instance.stop(signal);
    const timeoutMs = ctx.manifest.stopTimeoutMs;
    const left = Math.max(0, timeoutMs - (performance.now() - sent));
    const watched = [...instance.proc.known.entries()];
    const polled = await pollUntil(
      async () => {
        const alive: number[] = [];
        for (const [pid, start] of watched) if (await stillAlive(pid, start)) alive.push(pid);
        return { alive, sockets: await instance.listeners() };
      },
      (state) => state.alive.length === 0 && state.sockets.length === 0,
      left,
    );
    ctx.evidence.signal = signal;
    ctx.evidence.workers = workers.map((w) => w.pid);
    ctx.evidence.startedProcess = describeExit(exit);
    ctx.evidence.goneAfterMs = Math.round(performance.now() - sent);
    ctx.evidence.survivors = polled.value.alive;
    ctx.evidence.listenersLeft = polled.value.sockets;
    const expected = `the started process and ${workers.length} workers gone, no LISTEN socket on the port, within ${timeoutMs} ms`;
    if (!exit)
      return fail(
        `the started process still runs ${timeoutMs} ms after ${signal}`,
        expected,
        "still running",
      );
    if (polled.value.alive.length > 0) {
      return fail(
        `${polled.value.alive.length} process(es) survived ${signal}: ${pids(polled.value.alive)}`,
        expected,
        `alive after ${timeoutMs} ms: ${pids(polled.value.alive)}`,
      );
    }
    if (polled.value.sockets.length > 0) {
      return fail(`the port still listens after ${signal}`, expected, describeSockets(polled.value.sockets));
    }
    return pass(
      `all ${watched.length} processes gone and the port free ${Math.round(polled.elapsedMs)} ms after the exit`,
    );
  },
);
