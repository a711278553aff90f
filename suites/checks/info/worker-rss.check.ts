import { rssBytes } from "../../../common/probes/procfs.ts";
import { startObserved } from "../../../common/target/observe.ts";
import { check } from "../../harness/check.ts";
import { info } from "../../harness/outcome.ts";
import { recordProcesses } from "../../harness/verify.ts";

const MB = 1024 * 1024;

check("INFO-1", { title: "resident memory per worker", needs: ["proc"] }, async (ctx) => {
  const { instance, model } = await startObserved(ctx.start, 2);
  recordProcesses(ctx.evidence, model);
  const parent = await rssBytes(instance.pid);
  const perWorker: Record<number, number | null> = {};
  for (const pid of model.workers) perWorker[pid] = (await rssBytes(pid)) ?? null;
  ctx.evidence.rssBytesPerWorker = perWorker;
  ctx.evidence.rssBytesStartedProcess = parent ?? null;
  const shown = Object.values(perWorker)
    .map((bytes) => (bytes === null ? "?" : (bytes / MB).toFixed(1)))
    .join(", ");
  return info(
    `worker RSS ${shown} MB (the source says ~25-40 MB); started process ${parent ? (parent / MB).toFixed(1) : "?"} MB`,
  );
});
