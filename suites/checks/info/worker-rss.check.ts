import { memoryOf, rssBytes } from "../../../common/probes/procfs.ts";
import { startObserved } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { info } from "../../harness/outcome.ts";
import { recordProcesses } from "../../harness/verify.ts";

const MB = 1024 * 1024;

check("INFO-1", { title: "resident memory per worker", observes: true, needs: ["proc"] }, async (ctx) => {
  const { model } = await startObserved(ctx.start, 2);
  recordProcesses(ctx.evidence, model);
  const parent = await rssBytes(model.primaryPid);
  const perWorker: Record<number, number | null> = {};
  const memory: Record<number, { rssBytes: number; pssBytes: number; ussBytes: number } | null> = {};
  for (const pid of model.workers) {
    perWorker[pid] = (await rssBytes(pid)) ?? null;
    memory[pid] = (await memoryOf(pid)) ?? null;
  }
  ctx.evidence.rssBytesPerWorker = perWorker;
  // USS (private pages) is what one more worker costs; RSS also counts pages the workers share.
  ctx.evidence.memoryPerWorker = memory;
  ctx.evidence.rssBytesStartedProcess = parent ?? null;
  const mb = (bytes: number | null | undefined) =>
    bytes === null || bytes === undefined ? "?" : (bytes / MB).toFixed(1);
  const uss = Object.values(memory)
    .map((use) => mb(use?.ussBytes))
    .join(", ");
  const rss = Object.values(perWorker).map(mb).join(", ");
  return info(
    `worker USS ${uss} MB (private: the cost of one more worker); RSS ${rss} MB (the source says ~25-40 MB); primary RSS ${mb(parent)} MB`,
  );
});
