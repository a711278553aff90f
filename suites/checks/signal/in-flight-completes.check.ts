import {
  AcceptWatcher,
  openAccepted,
  requestStart,
  serverHasRead,
} from "../../../common/probes/connections.ts";
import { procAvailable } from "../../../common/probes/procfs.ts";
import type { RawConnection } from "../../../common/raw-http.ts";
import { sleep } from "../../../common/sleep.ts";
import { HOST } from "../../../targets/instance.ts";
import { observeWorkers } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { LINES, normalizeLine } from "../../harness/console-lines.ts";
import { HINTS } from "../../harness/hints.ts";
import { cannotJudge, fail, pass } from "../../harness/outcome.ts";
import { describeExit, recordProcesses } from "../../harness/verify.ts";
import { SIGNALS } from "./signals.ts";

/** Waited for the shutdown line before completing the request; the check goes on without it. */
const LINE_WAIT_MS = 1_000;
/** After the shutdown began, before the rest of the request is sent. */
const PAUSE_MS = 200;
/** Connections to try for one that a worker accepts: SIGNAL-4 judges the drain, not the acceptance. */
const CONNECT_ATTEMPTS = 10;
/** For the server to read the start of the request (a look at /proc, not a fixed wait). */
const READ_WAIT_MS = 2_000;

interface InFlight {
  connection: RawConnection;
  acceptedBy: number[];
  /** The request's start was sent before the signal; otherwise the whole request goes after it. */
  begun: boolean;
}

check(
  "SIGNAL-4",
  { title: "a request in flight completes with 200", needs: ["signals"], cases: SIGNALS },
  async (ctx, signal) => {
    const instance = await ctx.start({ workers: 2 });
    ctx.step("waiting for 2 workers to serve");
    const { model } = await observeWorkers(instance, 2);
    recordProcesses(ctx.evidence, model);
    // The ready path: the target's own cheap 200 (HTTP-1 judges the routes).
    const path = ctx.manifest.readyPath;
    const watcher = new AcceptWatcher(instance.port);
    /** A fresh connection a worker has accepted, seen in /proc before the kit sends anything. */
    const accepted = async (): Promise<InFlight | undefined> => {
      for (let attempt = 0; attempt < CONNECT_ATTEMPTS; attempt++) {
        const candidate = await openAccepted(HOST, instance.port, path, watcher).catch(() => undefined);
        if (candidate && (candidate.acceptedBy.length > 0 || !procAvailable())) return candidate;
        candidate?.connection.close();
      }
      return undefined;
    };
    ctx.step("opening a connection and waiting until a worker accepts it");
    let inFlight = await accepted();
    if (!inFlight) {
      return fail(
        `no connection was accepted within ${CONNECT_ATTEMPTS} attempts`,
        "a connection accepted by a worker before the signal",
        "none seen accepted in /proc",
      );
    }
    // The request begins (request line and a header) so that the worker has read part of it: what
    // "in flight" means to a server that parses HTTP. A server that answers on its first read answers
    // now; for it, a request in flight is one it accepted and waits to read: a second connection,
    // its whole request sent after the signal.
    if (!inFlight.begun) {
      inFlight.connection.send(requestStart(HOST, instance.port, path));
      inFlight.begun = true;
    }
    ctx.step("waiting until the worker has read the start of the request");
    await serverHasRead(instance.port, inFlight.connection.localPort, READ_WAIT_MS);
    const early = await inFlight.connection.readResponse(0);
    if (early.kind !== "timeout") {
      ctx.evidence.answersOnFirstRead = true;
      inFlight.connection.close();
      ctx.step("the server answered a partial request: opening a connection it accepts and waits to read");
      inFlight = await accepted();
      if (!inFlight || inFlight.begun) {
        inFlight?.connection.close();
        return cannotJudge(
          "the server answers on its first read and accepts only once data arrives, so no request can be in flight when the signal comes",
        );
      }
    }
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
      connection.send(begun ? "\r\n" : `${requestStart(HOST, instance.port, path)}\r\n`);
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
