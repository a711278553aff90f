import { liveGroupMembers, stillAlive } from "../../common/probes/procfs.ts";
import type { Evidence } from "../../results/conformance.ts";
import { type Instance, pollUntil } from "../../targets/instance.ts";
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
 * The verdict for bad input: the target exits non-zero within the start timeout,
 * says what was wrong (a line matching `mentions`), prints no stack trace, and
 * leaves no process of its group or its recorded descendants behind.
 */
export async function refusalFindings(
  instance: Instance,
  mentions: RegExp,
  what: string,
  evidence: Evidence,
): Promise<Outcome> {
  const manifest = instance.manifest;
  const watchRecorder = setInterval(() => void instance.proc.recordDescendants().catch(() => undefined), 50);
  const exit = await instance.waitExit(manifest.startTimeoutMs);
  clearInterval(watchRecorder);
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
              : `still running ${manifest.startTimeoutMs} ms after start with ${what}`,
            `a non-zero exit code within ${manifest.startTimeoutMs} ms`,
            describeExit(exit),
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
