import { httpGet } from "../../../common/http-client.ts";
import { HOST } from "../../../targets/instance.ts";
import { observeSingle } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { notApplicable } from "../../harness/outcome.ts";
import { singleProcessFindings } from "../../harness/single-process.ts";

check(
  "DEBUG-1",
  {
    title: "debug mode serves from one process",
    observes: true,
    // Side by side with PLATFORM-2's cases (declared next in the group): each starts its own instance
    // and watches it; HTTP-4 after them compares the answers of all three.
    concurrent: true,
    needs: ["proc"],
  },
  async (ctx) => {
    if (!ctx.manifest.debugArgs) return notApplicable("the manifest declares no debugArgs");
    const instance = await ctx.start({ workers: 4, debug: true });
    ctx.step("watching for processes that serve beside the started one");
    const observed = await observeSingle(instance);
    const response = await httpGet(HOST, instance.port, ctx.manifest.routes.root);
    return singleProcessFindings(ctx.evidence, observed, response.status, "debug, workers=4");
  },
);
