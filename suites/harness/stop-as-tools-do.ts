import { sleep } from "../../common/sleep.ts";
import { createCgroup, joinCgroupPrefix, type LaunchCgroup } from "../../targets/cgroup.ts";
import { LINES, normalizeLine } from "../../targets/console-lines.ts";
import { type Delivery, deliver } from "../../targets/deliver.ts";
import { pollUntil } from "../../targets/instance.ts";
import { observeWorkers } from "../../targets/observe.ts";
import type { CheckContext } from "./check.ts";
import { HINTS } from "./hints.ts";
import { completeRequest, openInFlight } from "./in-flight.ts";
import { fail, firstFailure, type Outcome } from "./outcome.ts";
import { stackTraceLine } from "./refusal.ts";
import { describeExit, describeSockets, recordProcesses } from "./verify.ts";

/** A way production stops a server: the signal, how it is delivered, and the tool that does so. */
export interface StopEvent {
  signal: NodeJS.Signals;
  delivery: Delivery;
  /** What a person calls it, at the head of every finding: "a terminal's Ctrl+C (SIGINT to the process group)". */
  tool: string;
  /** The usual cause when a request in flight is cut by this event. */
  cutHint: string;
}

/** Waited for the shutdown line before completing the request; the check goes on without it. */
const LINE_WAIT_MS = 1_000;
/** After the shutdown began, before the rest of the request is sent. */
const PAUSE_MS = 200;

/**
 * Stops the target at 2 workers as `event` does, with a request in flight, and judges what the
 * contract promises of a graceful stop: the request completes with 200, the started process exits 0,
 * the shutdown line is printed, and every process is gone and the port free within the stop timeout.
 */
export async function stopAsToolsDo(ctx: CheckContext, event: StopEvent): Promise<Outcome> {
  const { manifest } = ctx;
  let cgroup: LaunchCgroup | undefined;
  if (event.delivery === "service") {
    const made = createCgroup(`${process.pid}-${Date.now().toString(36)}`);
    if ("unavailable" in made) ctx.evidence.cgroup = made.unavailable;
    else cgroup = made;
  }
  try {
    const instance = await ctx.start({
      workers: 2,
      ...(cgroup ? { prefix: joinCgroupPrefix(cgroup.dir) } : {}),
    });
    ctx.step("waiting for 2 workers to serve");
    const { model } = await observeWorkers(instance, 2, { settle: false });
    recordProcesses(ctx.evidence, model);
    const path = manifest.readyPath;
    const inFlight = await openInFlight(ctx, instance, path);
    if ("status" in inFlight) return inFlight;
    try {
      const mark = instance.outputMark();
      const signalledAt = performance.now();
      const delivered = await deliver(instance, event.signal, event.delivery, cgroup);
      ctx.evidence.delivered = delivered;
      ctx.step(`waiting for the shutdown line after ${event.tool}`);
      await instance.proc.waitForLine(
        (text) => LINES.shutdown.pattern.test(normalizeLine(text)),
        LINE_WAIT_MS,
        mark,
      );
      await sleep(PAUSE_MS);
      completeRequest(inFlight, instance.port, path);
      ctx.step(`waiting for the answer to the request in flight at ${event.tool}`);
      const answer = await inFlight.connection.readResponse(manifest.stopTimeoutMs);
      const left = () => Math.max(0, manifest.stopTimeoutMs - (performance.now() - signalledAt));
      ctx.step(`waiting for the started process to exit after ${event.tool}`);
      const exit = await instance.waitExit(left());
      if (exit) await instance.proc.outputSettled;
      ctx.step(`waiting for every process of the launch to be gone after ${event.tool}`);
      const gone = await pollUntil(
        async () => ({ alive: await instance.proc.liveMembers(), sockets: await instance.listeners() }),
        (state) => state.alive.length === 0 && state.sockets.length === 0,
        left(),
      );
      const after = instance.outputSince(mark);
      const trace = stackTraceLine(after);
      const roleOf = new Map(model.rows.map((row) => [row.pid, row.role]));
      const survivors = gone.value.alive.map(
        (p) => `${p.pid} (${roleOf.get(p.pid) ?? "not seen before"}: ${p.cmdline.slice(0, 60)})`,
      );
      ctx.evidence.answer = answer.kind === "response" ? { status: answer.response.status } : answer;
      ctx.evidence.exit = describeExit(exit);
      ctx.evidence.linesAfterSignal = after.slice(0, 20);
      ctx.evidence.survivors = survivors;
      const traced = trace ? `; the output shows "${trace.trim().slice(0, 80)}"` : "";
      const what = event.tool;
      return firstFailure([
        answer.kind === "response" && answer.response.status === 200
          ? { ok: true, summary: `the request in flight answered 200` }
          : {
              ok: false,
              outcome: fail(
                `${what}: the request in flight was ${answer.kind === "response" ? `answered ${answer.response.status}` : answer.kind === "closed" ? "cut (closed without a response)" : "never answered"}`,
                `200 for the request in flight at ${what}`,
                `${answer.kind === "response" ? answer.response.status : answer.kind}${traced}`,
                event.cutHint,
              ),
            },
        exit && exit.signal === null && exit.code === 0
          ? { ok: true, summary: "exit code 0" }
          : {
              ok: false,
              outcome: fail(
                `${what}: the started process ${describeExit(exit)}`,
                `exit code 0 within ${manifest.stopTimeoutMs} ms`,
                `${describeExit(exit)}${traced}`,
                exit ? HINTS.exitCode : HINTS.noExit,
              ),
            },
        after.some((line) => LINES.shutdown.pattern.test(normalizeLine(line)))
          ? { ok: true, summary: "printed the shutdown line" }
          : {
              ok: false,
              outcome: fail(
                `${what}: no line "${LINES.shutdown.description}"`,
                `a line "${LINES.shutdown.description}" after ${what}`,
                after.length === 0 ? "no output" : `"${(after.at(-1) ?? "").trim()}"`,
                HINTS.bufferedOutput,
              ),
            },
        survivors.length === 0 && gone.value.sockets.length === 0
          ? {
              ok: true,
              summary: `every process gone and the port free ${Math.round(gone.elapsedMs)} ms after the exit`,
            }
          : {
              ok: false,
              outcome: fail(
                `${what}: ${survivors.length > 0 ? `${survivors.length} process(es) left running` : "the port still listens"}`,
                `every process of the launch gone and the port free within ${manifest.stopTimeoutMs} ms`,
                survivors.length > 0 ? `alive: ${survivors.join("; ")}` : describeSockets(gone.value.sockets),
                HINTS.survivors,
              ),
            },
      ]);
    } finally {
      inFlight.connection.close();
    }
  } finally {
    if (cgroup) {
      // Reaped first (the check's own instances), then the group can go.
      const group = cgroup;
      ctx.onEnd(() => group.remove());
    }
  }
}
