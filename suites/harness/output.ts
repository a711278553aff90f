import { findLine, type LineMatcher } from "../../targets/console-lines.ts";
import type { Instance } from "../../targets/instance.ts";
import { observeWorkers } from "../../targets/observe.ts";
import type { CheckContext } from "./check.ts";

/**
 * The target's output to judge lines on: everything it printed until the check
 * ends. Output to a pipe may be block-buffered (Python, C), so a line not seen
 * yet may still come: unless every line of `present` is already there, the
 * target is stopped with SIGTERM and its output read to the end.
 *
 * With `workers`, not before that many processes serve (or the start has settled short of it): ready
 * once its first worker answers, a primary may still be forking the others, its handlers not yet set,
 * and a SIGTERM then kills it before it flushes what it printed (seen once beside the CPU hogs: no
 * line at all from a server that prints its start line at exit). A server owes a clean stop once it
 * has started, as the SIGNAL checks stop it.
 */
export async function outputUntilEnd(
  ctx: Pick<CheckContext, "step" | "evidence">,
  instance: Instance,
  present: readonly LineMatcher[] = [],
  { workers }: { workers?: number } = {},
): Promise<string[]> {
  const now = instance.output();
  if (present.length > 0 && present.every((matcher) => findLine(now, matcher) !== undefined)) return now;
  if (workers !== undefined) {
    ctx.step(`waiting for ${workers} workers to serve before stopping the target`);
    await observeWorkers(instance, workers, { settle: false });
  }
  ctx.step("reading the target's output until it exits (SIGTERM)");
  const exit = await instance.stop("SIGTERM");
  if (exit) await instance.proc.outputSettled;
  ctx.evidence.judgedOn = exit
    ? "all output, read until the target exited"
    : "the output before the stop timeout";
  return instance.output();
}
