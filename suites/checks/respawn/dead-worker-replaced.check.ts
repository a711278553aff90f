import { httpGet } from "../../../common/http-client.ts";
import { check } from "../../harness/check.ts";
import { HOST, pollUntil } from "../../harness/instance.ts";
import { fail, pass } from "../../harness/outcome.ts";
import { startSettled } from "../../harness/settle.ts";
import { pids, processCount } from "../../harness/verify.ts";

check("RESPAWN-1", { title: "a dead worker is replaced", needs: ["proc", "linux"] }, async (ctx) => {
  const n = 2;
  const { instance, workers } = await startSettled(ctx, n);
  const count = processCount(
    "worker processes",
    n,
    workers.map((w) => w.pid),
  );
  if (!count.ok) return count.outcome;
  const victim = workers[0]?.pid as number;
  const killedAt = performance.now();
  process.kill(victim, "SIGKILL");
  let answered = 0;
  let failed = 0;
  const polled = await pollUntil(
    async () => {
      try {
        const response = await httpGet(HOST, instance.port, ctx.manifest.routes.root, { timeoutMs: 1_000 });
        if (response.status === 200) answered++;
        else failed++;
      } catch {
        failed++;
      }
      return (await instance.workers()).map((w) => w.pid);
    },
    (now) => now.length === n && !now.includes(victim),
    ctx.manifest.startTimeoutMs,
    100,
  );
  ctx.evidence.killed = victim;
  ctx.evidence.workersBefore = workers.map((w) => w.pid);
  ctx.evidence.workersAfter = polled.value;
  ctx.evidence.requestsAnsweredMeanwhile = answered;
  ctx.evidence.requestsFailedMeanwhile = failed;
  if (!polled.ok) {
    return fail(
      `worker ${victim} was not replaced within ${ctx.manifest.startTimeoutMs} ms`,
      `${n} live workers, ${victim} not among them`,
      `workers now ${pids(polled.value)}; the port answered ${answered} and failed ${failed} request(s) meanwhile`,
    );
  }
  const recoveredMs = Math.round(performance.now() - killedAt);
  ctx.evidence.replacedAfterMs = recoveredMs;
  return pass(`replaced after ${recoveredMs} ms; ${answered} answered, ${failed} failed meanwhile`);
});
