import { httpGet } from "../../../common/http-client.ts";
import { HOST } from "../../../targets/instance.ts";
import { startObserved, waitForReplacement } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { fail, notReplacedWhy, pass } from "../../harness/outcome.ts";
import { pids, processCount, recordProcesses } from "../../harness/verify.ts";

check("RESPAWN-1", { title: "a dead worker is replaced", needs: ["proc", "linux"] }, async (ctx) => {
  const n = 2;
  ctx.step(`waiting for ${n} workers to serve`);
  const { instance, model } = await startObserved(ctx.start, n, { settle: false });
  recordProcesses(ctx.evidence, model);
  const count = processCount("worker processes", n, model.workers);
  if (!count.ok) return count.outcome;
  // Only a worker is killed: never a helper (a fork server, a resource tracker) or a launcher.
  const victim = model.workers[0] as number;
  const killedAt = performance.now();
  process.kill(victim, "SIGKILL");
  let answered = 0;
  let failed = 0;
  ctx.step(`waiting for worker ${victim} to be replaced`);
  const polled = await waitForReplacement(instance, n, victim, ctx.manifest.startTimeoutMs, async () => {
    try {
      const response = await httpGet(HOST, instance.port, ctx.manifest.routes.root, { timeoutMs: 1_000 });
      if (response.status === 200) answered++;
      else failed++;
    } catch {
      failed++;
    }
  });
  ctx.evidence.killed = victim;
  ctx.evidence.workersBefore = model.workers;
  ctx.evidence.workersAfter = polled.workers;
  ctx.evidence.requestsAnsweredMeanwhile = answered;
  ctx.evidence.requestsFailedMeanwhile = failed;
  ctx.evidence.settledBy = polled.settledBy;
  if (!polled.ok) {
    return fail(
      `worker ${victim} was not replaced ${notReplacedWhy(polled, ctx.manifest.startTimeoutMs)}`,
      `${n} serving workers, ${victim} not among them, within ${ctx.manifest.startTimeoutMs} ms`,
      `workers now ${pids(polled.workers)}; the port answered ${answered} and failed ${failed} request(s) meanwhile`,
    );
  }
  const recoveredMs = Math.round(performance.now() - killedAt);
  ctx.evidence.replacedAfterMs = recoveredMs;
  return pass(`replaced after ${recoveredMs} ms; ${answered} answered, ${failed} failed meanwhile`);
});
