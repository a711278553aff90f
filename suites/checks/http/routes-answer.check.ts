import { sampleConnections } from "../../../common/probes/connections.ts";
import { check } from "../../harness/check.ts";
import { HOST } from "../../harness/instance.ts";
import { fail, pass } from "../../harness/outcome.ts";
import { startSettled } from "../../harness/settle.ts";
import { pids } from "../../harness/verify.ts";

/** Fresh connections per route before giving up on a worker that never answers it. */
const MAX_REQUESTS = 200;

check(
  "HTTP-1",
  {
    title: "every route answers 200 from every worker",
    cases: [2],
    caseLabel: (n) => `workers=${n}`,
    needs: ["proc", "linux"],
  },
  async (ctx, n) => {
    const { instance, workerPids } = await startSettled(ctx, n);
    const report: Record<string, { answeredBy: Record<number, number>; statuses: Record<number, number> }> =
      {};
    for (const [name, path] of Object.entries(ctx.manifest.routes)) {
      const answeredBy: Record<number, number> = {};
      const statuses: Record<number, number> = {};
      report[name] = { answeredBy, statuses };
      for (let sent = 0; sent < MAX_REQUESTS; sent += 20) {
        for (const sample of await sampleConnections(HOST, instance.port, path, 20, { batch: 10 })) {
          statuses[sample.status] = (statuses[sample.status] ?? 0) + 1;
          for (const pid of sample.acceptedBy) {
            if (sample.status === 200) answeredBy[pid] = (answeredBy[pid] ?? 0) + 1;
            else {
              ctx.evidence.routes = report;
              return fail(
                `${name} (${path}) answered ${sample.status} from pid ${pid}`,
                `GET ${path} answers 200 from every worker`,
                `status ${sample.status} from pid ${pid}`,
              );
            }
          }
        }
        if (workerPids.every((pid) => pid in answeredBy)) break;
      }
      const silent = workerPids.filter((pid) => !(pid in answeredBy));
      if (silent.length > 0) {
        ctx.evidence.routes = report;
        return fail(
          `${name} (${path}) never answered by worker(s) ${pids(silent)}`,
          `GET ${path} answers 200 from each of ${pids(workerPids)}`,
          `answered by ${pids(Object.keys(answeredBy).map(Number))} in ${MAX_REQUESTS} requests`,
        );
      }
    }
    ctx.evidence.routes = report;
    return pass(
      `${Object.keys(ctx.manifest.routes).join(" and ")} answered 200 by all ${workerPids.length} workers`,
    );
  },
);
