import { httpGet } from "../../../common/http-client.ts";
import { HOST, pollUntil } from "../../../targets/instance.ts";
import { snapshot, startObserved } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { HINTS } from "../../harness/hints.ts";
import { fail, pass } from "../../harness/outcome.ts";
import { pids, processCount, recordProcesses } from "../../harness/verify.ts";

/** New connections sent while the worker is stopped, each given this long to be answered. */
const PROBES = 20;
const PROBE_TIMEOUT_MS = 1_000;

check(
  "HANG-1",
  { title: "a worker that stops answering is replaced", needs: ["proc", "linux", "signals"] },
  async (ctx) => {
    const n = 2;
    ctx.step(`waiting for ${n} workers to serve`);
    const { instance, model } = await startObserved(ctx.start, n, { settle: false });
    recordProcesses(ctx.evidence, model);
    const count = processCount("worker processes", n, model.workers);
    if (!count.ok) return { ...count.outcome, cause: "workers-missing" as const };
    const victim = model.workers[0] as number;
    const bound = ctx.manifest.hangTimeoutMs;
    const stoppedAt = performance.now();
    process.kill(victim, "SIGSTOP");
    try {
      // What a stopped worker costs: fresh connections, some of which the kernel hands to it.
      let hung = 0;
      await Promise.all(
        Array.from({ length: PROBES }, () =>
          httpGet(HOST, instance.port, ctx.manifest.readyPath, { timeoutMs: PROBE_TIMEOUT_MS }).catch(() => {
            hung++;
          }),
        ),
      );
      ctx.step(`waiting for stopped worker ${victim} to be replaced (within ${bound} ms)`);
      const polled = await pollUntil(
        async () => (await snapshot(instance)).model.workers,
        (workers) => workers.length >= n && !workers.includes(victim),
        Math.max(0, bound - (performance.now() - stoppedAt)),
        100,
      );
      ctx.evidence.stopped = victim;
      ctx.evidence.hungOfNewConnections = `${hung} of ${PROBES}`;
      ctx.evidence.workersAfter = polled.value;
      const cost = `${hung} of ${PROBES} new connections hung for over ${PROBE_TIMEOUT_MS} ms meanwhile`;
      if (!polled.ok) {
        return fail(
          `stopped worker ${victim} was not replaced within ${bound} ms`,
          `${n} serving workers, ${victim} not among them, within ${bound} ms`,
          `workers now ${pids(polled.value)}; ${cost}`,
          HINTS.hung,
        );
      }
      const replacedMs = Math.round(performance.now() - stoppedAt);
      ctx.evidence.replacedAfterMs = replacedMs;
      return pass(`replaced after ${replacedMs} ms; ${cost}`);
    } finally {
      try {
        process.kill(victim, "SIGCONT");
      } catch {
        // replaced: gone
      }
    }
  },
);
