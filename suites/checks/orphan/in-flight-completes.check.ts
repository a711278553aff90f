import { sleep } from "../../../common/sleep.ts";
import { startObserved } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { HINTS } from "../../harness/hints.ts";
import { completeRequest, openInFlight } from "../../harness/in-flight.ts";
import { fail, pass } from "../../harness/outcome.ts";
import { recordProcesses } from "../../harness/verify.ts";

/** After the primary's death, before the rest of the request is sent: time for a worker to notice. */
const PAUSE_MS = 200;

check(
  "ORPHAN-2",
  { title: "a request in flight completes when the primary is killed", needs: ["proc", "linux", "signals"] },
  async (ctx) => {
    ctx.step("waiting for 2 workers to serve");
    const { instance, model } = await startObserved(ctx.start, 2, { settle: false });
    recordProcesses(ctx.evidence, model);
    const path = ctx.manifest.readyPath;
    const inFlight = await openInFlight(ctx, instance, path);
    if ("status" in inFlight) return inFlight;
    try {
      process.kill(model.primaryPid, "SIGKILL");
      await sleep(PAUSE_MS);
      completeRequest(inFlight, instance.port, path);
      ctx.step("waiting for the answer to the request in flight when the primary died");
      const answer = await inFlight.connection.readResponse(ctx.manifest.stopTimeoutMs);
      ctx.evidence.killed = model.primaryPid;
      ctx.evidence.acceptedBy = inFlight.acceptedBy;
      ctx.evidence.answer = answer.kind === "response" ? { status: answer.response.status } : answer;
      const expected = "200 for the request in flight on a worker when its primary was killed";
      if (answer.kind === "response" && answer.response.status === 200)
        return pass(`answered 200 after the primary (pid ${model.primaryPid}) was killed`);
      return fail(
        `the request in flight was ${answer.kind === "response" ? `answered ${answer.response.status}` : answer.kind === "closed" ? "cut when the primary died" : "never answered"}`,
        expected,
        answer.kind === "response" ? String(answer.response.status) : answer.kind,
        HINTS.orphanCut,
      );
    } finally {
      inFlight.connection.close();
    }
  },
);
