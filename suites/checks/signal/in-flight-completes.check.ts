import { sleep } from "../../../common/sleep.ts";
import { LINES, normalizeLine } from "../../../targets/console-lines.ts";
import { startObserved } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { HINTS } from "../../harness/hints.ts";
import { completeRequest, openInFlight } from "../../harness/in-flight.ts";
import { fail, pass } from "../../harness/outcome.ts";
import { describeExit, recordProcesses } from "../../harness/verify.ts";
import { SIGNALS } from "./signals.ts";

/** Waited for the shutdown line before completing the request; the check goes on without it. */
const LINE_WAIT_MS = 1_000;
/** After the shutdown began, before the rest of the request is sent. */
const PAUSE_MS = 200;

check(
  "SIGNAL-4",
  { title: "a request in flight completes with 200", needs: ["signals"], cases: SIGNALS, concurrent: true },
  async (ctx, signal) => {
    ctx.step("waiting for 2 workers to serve");
    const { instance, model } = await startObserved(ctx.start, 2, { settle: false });
    recordProcesses(ctx.evidence, model);
    // The ready path: the target's own cheap 200 (HTTP-1 judges the routes).
    const path = ctx.manifest.readyPath;
    const inFlight = await openInFlight(ctx, instance, path);
    if ("status" in inFlight) return inFlight;
    const { connection, acceptedBy, begun } = inFlight;
    try {
      const mark = instance.outputMark();
      const signalledAt = performance.now();
      instance.proc.signal(signal);
      ctx.step(`waiting for the shutdown line after ${signal}`);
      const line = await instance.proc.waitForLine(
        (text) => LINES.shutdown.pattern.test(normalizeLine(text)),
        LINE_WAIT_MS,
        mark,
      );
      await sleep(PAUSE_MS);
      completeRequest(inFlight, instance.port, path);
      ctx.step(`waiting for the answer to the request in flight at ${signal}`);
      const answer = await connection.readResponse(ctx.manifest.stopTimeoutMs);
      const answeredMs = Math.round(performance.now() - signalledAt);
      ctx.step(`waiting for the started process to exit after ${signal}`);
      const exit = await instance.waitExit(Math.max(0, ctx.manifest.stopTimeoutMs - answeredMs));
      ctx.evidence.signal = signal;
      ctx.evidence.acceptedBy = acceptedBy;
      ctx.evidence.requestBegunBeforeSignal = begun;
      ctx.evidence.shutdownLineSeen = line !== undefined;
      ctx.evidence.answeredAfterSignalMs = answeredMs;
      ctx.evidence.exit = describeExit(exit);
      ctx.evidence.result =
        answer.kind === "response"
          ? { status: answer.response.status, headers: answer.response.headers }
          : answer;
      const what = begun ? "the request begun before" : "the request on a connection accepted before";
      const expected = `200 for ${what} ${signal}, then an exit within ${ctx.manifest.stopTimeoutMs} ms`;
      if (answer.kind === "response" && answer.response.status !== 200)
        return fail(`answered ${answer.response.status}`, expected, String(answer.response.status));
      if (answer.kind === "closed")
        return fail(
          "the connection closed without a response",
          expected,
          "closed, no response",
          HINTS.droppedInFlight,
        );
      if (answer.kind === "timeout")
        return fail(`no response within ${ctx.manifest.stopTimeoutMs} ms`, expected, "no response");
      // Answered: but a shutdown must really have happened, or the pass would be vacuous.
      if (!exit) {
        return fail(
          `answered 200, but the started process still runs ${ctx.manifest.stopTimeoutMs} ms after ${signal}`,
          expected,
          "no shutdown",
          HINTS.noExit,
          "no-exit",
        );
      }
      return pass(
        `answered 200 ${answeredMs} ms after ${signal}${begun ? "" : " (a connection accepted before it, the request sent after: the server answers on its first read)"}; the started process exited (${describeExit(exit)})`,
      );
    } finally {
      connection.close();
    }
  },
);
