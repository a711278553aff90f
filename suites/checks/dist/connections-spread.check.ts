import { countByAcceptor, sampleConnections } from "../../../common/probes/connections.ts";
import { check } from "../../harness/check.ts";
import { HOST } from "../../harness/instance.ts";
import { fail, pass } from "../../harness/outcome.ts";
import { startSettled } from "../../harness/settle.ts";

const CONNECTIONS = 400;

check(
  "DIST-1",
  { title: "fresh connections spread over every worker", cases: [4], caseLabel: (n) => `workers=${n}`, needs: ["proc", "linux"] },
  async (ctx, n) => {
    const { instance, workers, workerPids } = await startSettled(ctx, n);
    const samples = await sampleConnections(HOST, instance.port, ctx.manifest.routes.root, CONNECTIONS);
    const counts = countByAcceptor(samples);
    const perWorker = Object.fromEntries(workerPids.map((pid) => [pid, counts.get(pid) ?? 0]));
    const byParent = counts.get(instance.pid) ?? 0;
    const unattributed = samples.filter((s) => s.acceptedBy.length === 0).length;
    const bound = Math.floor(CONNECTIONS / Math.max(1, workerPids.length) / 4);
    ctx.evidence.connections = CONNECTIONS;
    ctx.evidence.acceptedPerWorker = perWorker;
    ctx.evidence.acceptedByStartedProcess = byParent;
    ctx.evidence.unattributed = unattributed;
    ctx.evidence.minimumPerWorker = bound;
    ctx.evidence.non200 = samples.filter((s) => s.status !== 200).length;
    const spread = Object.values(perWorker).join("/");
    if (workerPids.length === 0) return fail("no worker processes", `${n} workers sharing ${CONNECTIONS} connections`, "none");
    const short = workerPids.filter((pid) => (perWorker[pid] ?? 0) < bound);
    if (short.length > 0) {
      return fail(
        `${short.length} worker(s) accepted fewer than ${bound} of ${CONNECTIONS} connections`,
        `each of ${workerPids.length} workers accepts at least ${bound} (a quarter of its fair share)`,
        `accepted per worker ${spread}${byParent ? `, by the started process ${byParent}` : ""}${unattributed ? `, unattributed ${unattributed}` : ""}`,
      );
    }
    return pass(`accepted per worker ${spread} (minimum ${bound})`);
  },
);
