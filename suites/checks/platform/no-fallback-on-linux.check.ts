import { findLine, LINES } from "../../../targets/console-lines.ts";
import { check } from "../../harness/check.ts";
import { fail, notApplicable, pass } from "../../harness/outcome.ts";
import { outputUntilEnd } from "../../harness/output.ts";
import { platformStart } from "./platforms.ts";

check("PLATFORM-3", { title: "no fallback line on Linux", observes: true, needs: ["linux"] }, async (ctx) => {
  const plan = platformStart(ctx.manifest, "linux", 2);
  if ("notApplicable" in plan) return notApplicable(plan.notApplicable);
  ctx.evidence.how = plan.how;
  const instance = await ctx.start(plan.options);
  // An absence is judged on everything the target printed, up to its exit.
  const lines = await outputUntilEnd(ctx, instance, [], { workers: plan.options.workers });
  const line = findLine(lines, LINES.anyFallback);
  ctx.evidence.firstLines = lines.slice(0, 12);
  if (line === undefined) return pass(`no fallback line among ${lines.length} line(s), read until exit`);
  return fail("a fallback line on Linux", "no fallback line", `"${line.trim()}"`);
});
