import {
  addCounts,
  countByAcceptor,
  sampleConnections,
  unattributed as countUnattributed,
} from "../../../common/probes/connections.ts";
import { HOST } from "../../../targets/instance.ts";
import { snapshot, startObserved } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { HINTS } from "../../harness/hints.ts";
import { cannotJudge, fail, pass } from "../../harness/outcome.ts";
import { recordProcesses } from "../../harness/verify.ts";

const CONNECTIONS = 400;

check(
  "DIST-1",
  {
    title: "fresh connections spread over every worker", observes: true,
    cases: [4],
    caseLabel: (n) => `workers=${n}`,
    needs: ["proc", "linux"],
  },
  async (ctx, n) => {
    ctx.step(`waiting for ${n} workers to serve`);
    const { instance, model } = await startObserved(ctx.start, n);
    ctx.step(`sending ${CONNECTIONS} connections, each closed once answered`);
    const samples = await sampleConnections(HOST, instance.port, ctx.manifest.routes.root, CONNECTIONS, {
      watcher: await instance.acceptWatcher(),
    });
    const counts = countByAcceptor(samples);
    addCounts(instance.accepted, counts);
    // Workers seen before the sample, and any process that accepted during it (a worker that bound late).
    const after = (await snapshot(instance)).model;
    recordProcesses(ctx.evidence, after);
    const workers = [...new Set([...model.workers, ...after.workers])].sort((a, b) => a - b);
    const perWorker = Object.fromEntries(workers.map((pid) => [pid, counts.get(pid) ?? 0]));
    // Connections made but whose acceptor the kit did not see: each may belong to any worker.
    const unattributed = countUnattributed(samples);
    // The bound comes from the requested N: extra workers do not lower it, missing ones count as 0.
    const bound = Math.floor(CONNECTIONS / n / 4);
    ctx.evidence.connections = CONNECTIONS;
    ctx.evidence.acceptedPerWorker = perWorker;
    ctx.evidence.acceptedByPrimary = counts.get(after.primaryPid) ?? 0;
    ctx.evidence.unattributed = unattributed;
    ctx.evidence.minimumPerWorker = bound;
    ctx.evidence.errors = samples.filter((s) => s.status === 0).length;
    const spread = Object.values(perWorker).join("/") || "none";
    const others = unattributed ? `, unattributed ${unattributed}` : "";
    const expected = `each of ${n} workers accepts at least ${bound} of ${CONNECTIONS} (a quarter of its fair share)`;
    if (workers.length < n) {
      return fail(
        `${workers.length} of ${n} workers served any of ${CONNECTIONS} connections`,
        expected,
        `accepted per worker ${spread}${others}`,
        HINTS.missingWorkers,
      );
    }
    const short = workers.filter((pid) => (perWorker[pid] ?? 0) < bound);
    // Short only where no share of the unattributed connections could make up the difference.
    const provablyShort = short.filter((pid) => (perWorker[pid] ?? 0) + unattributed < bound);
    if (provablyShort.length > 0) {
      return fail(
        `${provablyShort.length} worker(s) accepted fewer than ${bound} of ${CONNECTIONS} connections`,
        expected,
        `accepted per worker ${spread}${others}`,
        HINTS.fewConnections,
      );
    }
    if (short.length > 0) {
      return cannotJudge(
        `${unattributed} of ${CONNECTIONS} connections were closed by the server before the kit could see who accepted them; attributed per worker ${spread}, too few to tell whether each worker got ${bound}`,
      );
    }
    return pass(`accepted per worker ${spread} (minimum ${bound})${others}`);
  },
);
