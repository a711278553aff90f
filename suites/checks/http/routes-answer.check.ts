import { addCounts, countByAcceptor, sampleConnections } from "../../../common/probes/connections.ts";
import { HOST } from "../../../targets/instance.ts";
import { startObserved } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { cannotJudge, fail, pass } from "../../harness/outcome.ts";
import { pids, recordProcesses } from "../../harness/verify.ts";

/** Fresh connections per route before giving up on a worker that never answers it. */
const MAX_REQUESTS = 200;
const ROUND = 20;

interface RouteReport {
  answeredBy: Record<number, number>;
  /** Answered 200 on a connection whose acceptor the kit did not see. */
  answeredUnattributed: number;
  statuses: Record<string, number>;
  /** Answers that were not 200, and failures without an answer, attributed where possible. */
  bad: Array<{ status: number; error?: string; acceptedBy: number[] }>;
}

check(
  "HTTP-1",
  {
    title: "every route answers 200 from every worker",
    observes: true,
    cases: [2],
    caseLabel: (n) => `workers=${n}`,
    needs: ["proc", "linux"],
  },
  async (ctx, n) => {
    ctx.step(`waiting for ${n} workers to serve`);
    const { instance, model } = await startObserved(ctx.start, n);
    recordProcesses(ctx.evidence, model);
    const workers = model.workers;
    const report: Record<string, RouteReport> = {};
    ctx.evidence.routes = report;
    // The contract's routes; an `io` route is the benchmark's, with a placeholder in its path.
    const routes = { root: ctx.manifest.routes.root, json: ctx.manifest.routes.json };
    for (const [name, path] of Object.entries(routes)) {
      const route: RouteReport = { answeredBy: {}, answeredUnattributed: 0, statuses: {}, bad: [] };
      report[name] = route;
      ctx.step(`requesting ${path} until each worker has answered it`);
      for (let sent = 0; sent < MAX_REQUESTS; sent += ROUND) {
        const samples = await sampleConnections(HOST, instance.port, path, ROUND, {
          concurrency: 10,
          watcher: await instance.acceptWatcher(),
        });
        addCounts(instance.accepted, countByAcceptor(samples));
        for (const sample of samples) {
          const key = sample.status === 0 ? "no response" : String(sample.status);
          route.statuses[key] = (route.statuses[key] ?? 0) + 1;
          if (sample.status === 200) {
            for (const pid of sample.acceptedBy) route.answeredBy[pid] = (route.answeredBy[pid] ?? 0) + 1;
            if (sample.acceptedBy.length === 0) route.answeredUnattributed++;
          } else {
            route.bad.push({
              status: sample.status,
              ...(sample.error ? { error: sample.error } : {}),
              acceptedBy: sample.acceptedBy,
            });
          }
        }
        // Every answer counts, attributed or not: one bad answer fails the route.
        const first = route.bad[0];
        if (first) {
          const from =
            first.acceptedBy.length > 0 ? `from pid ${first.acceptedBy.join(", ")}` : "(unattributed)";
          const what = first.status === 0 ? `${first.error ?? "no response"}` : `answered ${first.status}`;
          return fail(
            `${name} (${path}) ${what} ${from}`,
            `GET ${path} answers 200 on every connection, from every worker`,
            `${route.bad.length} of ${sent + ROUND} request(s) not 200: ${JSON.stringify(route.statuses)}`,
          );
        }
        if (workers.every((pid) => pid in route.answeredBy)) break;
      }
      const silent = workers.filter((pid) => !(pid in route.answeredBy));
      if (silent.length > 0 && route.answeredUnattributed > 0) {
        // Any of those answers may have come from a worker not seen answering: not a failure, not a pass.
        return cannotJudge(
          `${name} (${path}): ${route.answeredUnattributed} of ${MAX_REQUESTS} answers came on connections the server closed before the kit could see who accepted them; worker(s) ${pids(silent)} not seen answering`,
        );
      }
      if (silent.length > 0) {
        return fail(
          `${name} (${path}) never answered by worker(s) ${pids(silent)}`,
          `GET ${path} answers 200 from each of ${pids(workers)}`,
          `answered by ${pids(Object.keys(route.answeredBy).map(Number))} in ${MAX_REQUESTS} requests`,
        );
      }
    }
    return pass(`${Object.keys(routes).join(" and ")} answered 200 by all ${workers.length} workers`);
  },
);
