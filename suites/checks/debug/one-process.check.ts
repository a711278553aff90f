import { httpGet } from "../../../common/http-client.ts";
import { check } from "../../harness/check.ts";
import { HOST } from "../../harness/instance.ts";
import { notApplicable } from "../../harness/outcome.ts";
import { settledSingle } from "../../harness/settle.ts";
import { singleProcessFindings } from "../../harness/single-process.ts";

check("DEBUG-1", { title: "debug mode serves from one process", needs: ["proc"] }, async (ctx) => {
  if (!ctx.manifest.debugArgs) return notApplicable("the manifest declares no debugArgs");
  const instance = await ctx.start({ workers: 4, debug: true });
  const { workers, sockets } = await settledSingle(instance);
  const response = await httpGet(HOST, instance.port, ctx.manifest.routes.root);
  return singleProcessFindings(
    ctx.evidence,
    instance.pid,
    workers,
    sockets,
    response.status,
    "debug, workers=4",
  );
});
