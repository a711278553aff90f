import { answeredGet, pollUntil } from "../../../targets/instance.ts";
import { startObserved } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { HINTS } from "../../harness/hints.ts";
import { fail, pass } from "../../harness/outcome.ts";
import { pids, recordProcesses } from "../../harness/verify.ts";

check(
  "ORPHAN-1",
  { title: "workers stop when their primary is killed", needs: ["proc", "linux", "signals"] },
  async (ctx) => {
    ctx.step("waiting for 2 workers to serve");
    const { instance, model } = await startObserved(ctx.start, 2, { settle: false });
    recordProcesses(ctx.evidence, model);
    const primary = model.primaryPid;
    const killedAt = performance.now();
    process.kill(primary, "SIGKILL");
    ctx.step(`waiting for the workers of primary ${primary} (killed) to stop`);
    const roleOf = new Map(model.rows.map((row) => [row.pid, row.role]));
    // Workers and anything still listening must go; helpers (a fork server, a resource tracker) serve
    // nothing: they are named, not judged.
    const serving = (pid: number) => roleOf.get(pid) !== "helper";
    const gone = await pollUntil(
      async () => ({
        alive: (await instance.proc.liveMembers()).filter((p) => p.pid !== primary),
        sockets: await instance.listeners(),
      }),
      (state) => state.alive.every((p) => !serving(p.pid)) && state.sockets.length === 0,
      ctx.manifest.stopTimeoutMs,
    );
    ctx.evidence.killed = primary;
    const helpers = gone.value.alive.filter((p) => !serving(p.pid)).map((p) => p.pid);
    if (helpers.length > 0) ctx.evidence.helpersLeft = helpers;
    if (gone.ok)
      return pass(
        `every worker gone and the port free ${Math.round(performance.now() - killedAt)} ms after the primary was killed${helpers.length > 0 ? ` (helpers ${pids(helpers)} still run, serving nothing)` : ""}`,
      );
    // Name each survivor, and say whether the port still answered: an orphan in the port's group
    // keeps serving old code beside whatever instance starts next.
    const survivors = gone.value.alive
      .filter((p) => serving(p.pid))
      .map((p) => `${p.pid} (${roleOf.get(p.pid) ?? "not seen before"})`);
    const answered = await answeredGet(instance.port, ctx.manifest.readyPath, 3).then(
      (response) => `the port still answered ${response.status}`,
      () => "the port did not answer",
    );
    ctx.evidence.survivors = survivors;
    ctx.evidence.portAfterKill = answered;
    return fail(
      `${survivors.length} process(es) outlived their primary for ${ctx.manifest.stopTimeoutMs} ms, serving: ${survivors.join(", ")}`,
      `every worker stops serving and exits within ${ctx.manifest.stopTimeoutMs} ms of its primary's death`,
      `alive: ${survivors.join(", ")}${gone.value.sockets.length > 0 ? `, ${gone.value.sockets.length} LISTEN socket(s) on the port` : ""}; ${answered}`,
      HINTS.orphans,
    );
  },
);
