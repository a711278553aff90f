import { httpGet } from "../../common/http-client.ts";
import { liveGroupMembers, stillAlive } from "../../common/probes/procfs.ts";
import { sleep } from "../../common/sleep.ts";
import type { Evidence } from "../../results/conformance.ts";
import { type Instance, pollUntil } from "../../targets/instance.ts";
import type { ExitInfo } from "../../targets/launch.ts";
import { QUIET_FLOOR_MS } from "../../targets/settle.ts";
import { fail, firstFailure, type Outcome } from "./outcome.ts";
import { describeExit, pids } from "./verify.ts";

/** Stack traces of the usual runtimes: a clear error is one a person reads, not a dump. */
const STACK_TRACE = [
  /^\s+at\s+\S.*(:\d+:\d+\)?|\(native\)|\(<anonymous>\))$/, // JavaScript, Java-like
  /^Traceback \(most recent call last\)/, // Python
  /^\s+File ".+", line \d+/, // Python frames
  /panicked at /, // Rust
  /^goroutine \d+ \[/, // Go
];

export function stackTraceLine(lines: readonly string[]): string | undefined {
  return lines.find((line) => STACK_TRACE.some((pattern) => pattern.test(line)));
}

/**
 * How a launch given bad input is decided without waiting out the start timeout when the answer is
 * already certain (issue 27): it exited (the refusal is then judged), or its ready path answered 200
 * (it accepted the value), or it is still running, not ready, well past the time a valid start takes
 * to be ready (`validReadyMs`): a server refuses bad input no later than it would have started, so one
 * still running then has not refused it. The start timeout stays the bound.
 */
export interface RefusalWait {
  readyMeansAccepted?: boolean;
  /** Measures it: called only for a launch still running at the floor (a quick refusal needs none). */
  validReadyMs?: () => Promise<number | undefined>;
  /** The least time a launch may take to refuse (a server may retry a busy port for a few seconds). */
  floorMs?: number;
}

/** Still running past this many times a valid start's time to ready: the bad value was accepted. */
export const ACCEPTED_AFTER_READY_TIMES = 3;

type Waited =
  | { how: "exit"; exit: ExitInfo }
  | { how: "ready"; atMs: number }
  | { how: "running"; atMs: number; validReadyMs: number }
  | { how: "timeout" };

async function waitForRefusal(instance: Instance, wait: RefusalWait): Promise<Waited> {
  const manifest = instance.manifest;
  let done = false;
  const exited = instance.proc.exit.then((exit): Waited => ({ how: "exit", exit }));
  const ready = (async (): Promise<Waited | undefined> => {
    if (!wait.readyMeansAccepted) return undefined;
    while (!done && (await instance.startTimeLeft()) > 0) {
      const answered = await httpGet(instance.host, instance.port, manifest.readyPath, {
        timeoutMs: 500,
      }).then(
        (response) => response.status === 200,
        () => false,
      );
      if (answered && !instance.proc.exited) return { how: "ready", atMs: instance.proc.elapsedMs() };
      await sleep(100);
    }
    return undefined;
  })();
  const running = (async (): Promise<Waited | undefined> => {
    if (!wait.validReadyMs) return undefined;
    const floorMs = wait.floorMs ?? QUIET_FLOOR_MS;
    await sleep(Math.max(0, floorMs - instance.proc.elapsedMs()));
    if (instance.proc.exited || done) return undefined;
    const validReadyMs = await wait.validReadyMs();
    if (validReadyMs === undefined) return undefined;
    const atMs = Math.max(floorMs, ACCEPTED_AFTER_READY_TIMES * validReadyMs);
    await sleep(Math.max(0, atMs - instance.proc.elapsedMs()));
    return instance.proc.exited || done
      ? undefined
      : { how: "running", atMs: instance.proc.elapsedMs(), validReadyMs };
  })();
  // The start timeout as a start counts it (start-clock.ts): a refusal kept from a CPU is not late.
  const timeout = (async (): Promise<Waited | undefined> => {
    for (;;) {
      const leftMs = await instance.startTimeLeft();
      if (done) return undefined;
      if (leftMs <= 0) return { how: "timeout" };
      await sleep(Math.min(leftMs, 250));
    }
  })();
  const decided = (found: Promise<Waited | undefined>) =>
    found.then((value) => value ?? new Promise<Waited>(() => {}));
  const waited = await Promise.race([exited, decided(ready), decided(running), decided(timeout)]);
  done = true;
  return waited;
}

/**
 * The verdict for bad input: the target exits non-zero within the start timeout,
 * says what was wrong (a line matching `mentions`), prints no stack trace, and
 * leaves no process of its group or its recorded descendants behind.
 */
export async function refusalFindings(
  instance: Instance,
  mentions: RegExp,
  what: string,
  evidence: Evidence,
  wait: RefusalWait = {},
): Promise<Outcome> {
  const manifest = instance.manifest;
  const watchRecorder = setInterval(() => void instance.proc.recordDescendants().catch(() => undefined), 50);
  const waited = await waitForRefusal(instance, wait);
  clearInterval(watchRecorder);
  const exit = waited.how === "exit" ? waited.exit : undefined;
  evidence.decidedBy = waited.how;
  if (exit) await instance.proc.outputSettled;
  const lines = instance.output();
  const left = await pollUntil(
    async () => {
      const alive = new Set((await liveGroupMembers(instance.pid)).map((p) => p.pid));
      for (const [pid, start] of instance.proc.known) if (await stillAlive(pid, start)) alive.add(pid);
      return [...alive];
    },
    (alive) => alive.length === 0,
    exit ? manifest.stopTimeoutMs : 0,
  );
  const trace = stackTraceLine(lines);
  const named = lines.find((line) => mentions.test(line));
  evidence.exit = describeExit(exit);
  evidence.output = lines.slice(0, 20);
  evidence.leftRunning = left.value;
  return firstFailure([
    exit && exit.signal === null && exit.code !== 0
      ? { ok: true, summary: `refused with exit code ${exit.code}` }
      : {
          ok: false,
          outcome: fail(
            exit
              ? `${describeExit(exit)} for ${what}`
              : waited.how === "ready"
                ? `accepted ${what}: ${manifest.readyPath} answered 200 ${Math.round(waited.atMs)} ms after start`
                : waited.how === "running"
                  ? `still running ${Math.round(waited.atMs)} ms after start with ${what}, where a valid start is ready in ${Math.round(waited.validReadyMs)} ms: not refused`
                  : `still running ${manifest.startTimeoutMs} ms after start with ${what}`,
            `a non-zero exit code within ${manifest.startTimeoutMs} ms`,
            waited.how === "ready"
              ? `serving: ${manifest.readyPath} answered 200`
              : waited.how === "running"
                ? "running, not ready, no exit"
                : describeExit(exit),
          ),
        },
    named !== undefined
      ? { ok: true, summary: `said "${named.trim().slice(0, 100)}"` }
      : {
          ok: false,
          outcome: fail(
            `no error names ${what}`,
            `a line matching ${mentions}`,
            lines.length ? `"${(lines.at(-1) ?? "").trim()}"` : "no output",
          ),
        },
    trace === undefined
      ? { ok: true, summary: "no stack trace" }
      : {
          ok: false,
          outcome: fail("a stack trace instead of a clear error", "one clear line", `"${trace.trim()}"`),
        },
    left.value.length === 0
      ? { ok: true, summary: "nothing left running" }
      : { ok: false, outcome: fail(`left ${pids(left.value)} running`, "no process left", pids(left.value)) },
  ]);
}
