import { addCounts, countByAcceptor, sampleConnections } from "../../../common/probes/connections.ts";
import { answeredGet, HOST, type Instance, type StartOptions } from "../../../targets/instance.ts";
import { observeWorkers } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { cannotJudge, fail, pass } from "../../harness/outcome.ts";
import { comparableAnswer, markDifference } from "../../harness/same-answer.ts";
import { pids } from "../../harness/verify.ts";
import { FALLBACK_PLATFORMS, platformStart } from "../platform/platforms.ts";

/** Fresh connections per route before giving up on hearing from every worker. */
const MAX_REQUESTS = 200;
const ROUND = 20;
const WORKERS = 2;

interface Mode {
  label: string;
  options: StartOptions;
  /** Several workers: each one's answer is compared. */
  perWorker: boolean;
}

/** Every mode the manifest can start, the 1-worker mode first (the one the others are compared with). */
function modes(manifest: Parameters<typeof platformStart>[0]): Mode[] {
  const list: Mode[] = [
    { label: "workers=1", options: { workers: 1 }, perWorker: false },
    { label: `workers=${WORKERS}`, options: { workers: WORKERS }, perWorker: true },
  ];
  if (manifest.debugArgs)
    list.push({ label: "debug", options: { workers: 4, debug: true }, perWorker: false });
  for (const platform of FALLBACK_PLATFORMS) {
    const plan = platformStart(manifest, platform, 4);
    if (!("notApplicable" in plan)) list.push({ label: platform, options: plan.options, perWorker: false });
  }
  return list;
}

/** Each answering process's comparable answer to `path` (one entry for a one-process mode). */
async function answersOf(
  instance: Instance,
  path: string,
  perWorker: boolean,
  differsByDesign: readonly string[],
): Promise<{ answers: Map<string, string>; unseen: number[] }> {
  const answers = new Map<string, string>();
  if (!perWorker) {
    answers.set("", comparableAnswer(await answeredGet(instance.port, path), differsByDesign));
    return { answers, unseen: [] };
  }
  const workers = (await observeWorkers(instance, WORKERS)).model.workers;
  for (
    let sent = 0;
    sent < MAX_REQUESTS && workers.some((pid) => !answers.has(`worker ${pid}`));
    sent += ROUND
  ) {
    const samples = await sampleConnections(HOST, instance.port, path, ROUND, {
      concurrency: 10,
      watcher: await instance.acceptWatcher(),
    });
    addCounts(instance.accepted, countByAcceptor(samples));
    for (const sample of samples) {
      const pid = sample.acceptedBy[0];
      if (pid === undefined || !sample.response || sample.acceptedBy.length !== 1) continue;
      const key = `worker ${pid}`;
      if (!answers.has(key)) answers.set(key, comparableAnswer(sample.response, differsByDesign));
    }
  }
  return { answers, unseen: workers.filter((pid) => !answers.has(`worker ${pid}`)) };
}

check("HTTP-4", { title: "the same answers in every mode", observes: true, needs: ["proc"] }, async (ctx) => {
  const { root, json } = ctx.manifest.routes;
  const routes: Array<[string, string]> = [
    ["root", root],
    ["json", json],
  ];
  const seen: Record<string, Record<string, string>> = {};
  ctx.evidence.answers = seen;
  ctx.evidence.differsByDesign = ctx.manifest.differsByDesign;
  let baseline: Record<string, string> | undefined;
  for (const mode of modes(ctx.manifest)) {
    ctx.step(`starting the target (${mode.label}) and asking each process for ${root} and ${json}`);
    const instance = await ctx.start(mode.options);
    const byRoute: Record<string, string> = {};
    for (const [name, path] of routes) {
      const { answers, unseen } = await answersOf(
        instance,
        path,
        mode.perWorker,
        ctx.manifest.differsByDesign,
      );
      if (unseen.length > 0)
        return cannotJudge(
          `${mode.label}: worker(s) ${pids(unseen)} were not seen answering ${path} in ${MAX_REQUESTS} requests, so their answers could not be compared`,
        );
      for (const [who, answer] of answers) {
        const where = who ? `${mode.label}, ${who}` : mode.label;
        byRoute[who ? `${name} (${who})` : name] = answer;
        const expected = baseline?.[name];
        if (expected !== undefined && answer !== expected) {
          const [want, got] = markDifference(expected, answer);
          return fail(
            `${name} (${path}) answers differently with ${where} than with workers=1`,
            `workers=1: ${want}`,
            `${where}: ${got}`,
            "an answer that depends on the process or the mode: state made before the fork, or a per-process global; a field that differs by design (a pid, a time) can be named in the manifest's differsByDesign",
          );
        }
      }
    }
    seen[mode.label] = byRoute;
    baseline ??= { root: byRoute.root ?? "", json: byRoute.json ?? "" };
    await instance.dispose();
  }
  const compared = Object.keys(seen);
  return pass(`${root} and ${json} answer the same in ${compared.length} mode(s): ${compared.join(", ")}`);
});
