import { rssBytes } from "../../../common/probes/procfs.ts";
import { check } from "../../harness/check.ts";
import { info } from "../../harness/outcome.ts";
import { startSettled } from "../../harness/settle.ts";

const MB = 1024 * 1024;

check("INFO-1", { title: "resident memory per worker", needs: ["proc"] }, async (ctx) => {
  const { instance, workers } = await startSettled(ctx, 2);
  const parent = await rssBytes(instance.pid);
  const perWorker: Record<number, number | null> = {};
  for (const worker of workers) perWorker[worker.pid] = (await rssBytes(worker.pid)) ?? null;
  ctx.evidence.rssBytesPerWorker = perWorker;
  ctx.evidence.rssBytesStartedProcess = parent ?? null;
  const shown = Object.values(perWorker)
    .map((bytes) => (bytes === null ? "?" : (bytes / MB).toFixed(1)))
    .join(", ");
  return info(
    `worker RSS ${shown} MB (the source says ~25-40 MB); started process ${parent ? (parent / MB).toFixed(1) : "?"} MB`,
  );
});
