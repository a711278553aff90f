import { findLine, type LineMatcher } from "../../targets/console-lines.ts";
import type { Instance } from "../../targets/instance.ts";
import type { CheckContext } from "./check.ts";

/**
 * The target's output to judge lines on: everything it printed until the check
 * ends. Output to a pipe may be block-buffered (Python, C), so a line not seen
 * yet may still come: unless every line of `present` is already there, the
 * target is stopped with SIGTERM and its output read to the end.
 */
export async function outputUntilEnd(
  ctx: Pick<CheckContext, "step" | "evidence">,
  instance: Instance,
  present: readonly LineMatcher[] = [],
): Promise<string[]> {
  const now = instance.output();
  if (present.length > 0 && present.every((matcher) => findLine(now, matcher) !== undefined)) return now;
  ctx.step("reading the target's output until it exits (SIGTERM)");
  const exit = await instance.stop("SIGTERM");
  if (exit) await instance.proc.outputSettled;
  ctx.evidence.judgedOn = exit
    ? "all output, read until the target exited"
    : "the output before the stop timeout";
  return instance.output();
}
