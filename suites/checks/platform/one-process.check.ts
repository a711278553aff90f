import { httpGet } from "../../../common/http-client.ts";
import { HOST } from "../../../targets/instance.ts";
import { observeSingle } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { notApplicable, type Outcome } from "../../harness/outcome.ts";
import { singleProcessFindings } from "../../harness/single-process.ts";
import { FALLBACK_PLATFORMS, platformStart } from "./platforms.ts";

check(
  "PLATFORM-2",
  {
    title: "one process serves whatever workers says",
    observes: true,
    // Each case starts its own instance and watches it: side by side with each other and DEBUG-1.
    concurrent: true,
    cases: FALLBACK_PLATFORMS,
    needs: ["proc"],
  },
  async (ctx, platform): Promise<Outcome> => {
    const plan = platformStart(ctx.manifest, platform, 4);
    if ("notApplicable" in plan) return notApplicable(plan.notApplicable);
    ctx.evidence.how = plan.how;
    const instance = await ctx.start(plan.options);
    ctx.step("watching for processes that serve beside the started one");
    const observed = await observeSingle(instance);
    const response = await httpGet(HOST, instance.port, ctx.manifest.routes.root);
    return singleProcessFindings(ctx.evidence, observed, response.status, "workers=4");
  },
);
