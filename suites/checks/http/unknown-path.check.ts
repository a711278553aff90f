import { randomUUID } from "node:crypto";
import { answeredGet } from "../../../targets/instance.ts";
import { check } from "../../harness/check.ts";
import { fail, pass } from "../../harness/outcome.ts";

check("HTTP-3", { title: "an unknown path answers 404", observes: true }, async (ctx) => {
  const instance = await ctx.start({ workers: 2 });
  const path = `/bustbench-no-such-path-${randomUUID().slice(0, 8)}`;
  const response = await answeredGet(instance.port, path);
  ctx.evidence.path = path;
  ctx.evidence.status = response.status;
  if (response.status === 404) return pass(`GET ${path} answered 404`);
  return fail(`GET ${path} answered ${response.status}`, "404", String(response.status));
});
