import { LINES } from "../../../targets/console-lines.ts";
import { check } from "../../harness/check.ts";
import { firstFailure, notApplicable } from "../../harness/outcome.ts";
import { outputUntilEnd } from "../../harness/output.ts";
import { lineSeen } from "../../harness/verify.ts";
import { FALLBACK_PLATFORMS, PLATFORM_NAMES, platformStart } from "./platforms.ts";

check(
  "PLATFORM-1",
  { title: "the fallback lines name the platform", observes: true, cases: FALLBACK_PLATFORMS },
  async (ctx, platform) => {
    const plan = platformStart(ctx.manifest, platform, 4);
    if ("notApplicable" in plan) return notApplicable(plan.notApplicable);
    ctx.evidence.how = plan.how;
    const instance = await ctx.start(plan.options);
    const lines = await outputUntilEnd(ctx, instance, [
      LINES.fallbackStart(PLATFORM_NAMES[platform]),
      LINES.fallbackNote,
    ]);
    ctx.evidence.firstLines = lines.slice(0, 12);
    return firstFailure([
      lineSeen(lines, LINES.fallbackStart(PLATFORM_NAMES[platform]), `as ${platform}`),
      lineSeen(lines, LINES.fallbackNote, `as ${platform}`),
    ]);
  },
);
