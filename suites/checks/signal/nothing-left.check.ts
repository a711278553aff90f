import { check } from "../../harness/check.ts";
import { HINTS } from "../../harness/hints.ts";
import { fail, pass } from "../../harness/outcome.ts";
import { observeStop } from "../../harness/stop-observation.ts";
import { describeExit, describeSockets, recordProcesses } from "../../harness/verify.ts";
import { SIGNALS } from "./signals.ts";

check(
  "SIGNAL-2",
  {
    title: "every process gone and the port free",
    cases: SIGNALS,
    needs: ["proc", "signals"],
    concurrent: true,
  },
  async (ctx, signal) => {
    const seen = await ctx.seen(`stop ${signal}`, () => observeStop(ctx, signal));
    const { model, exit } = seen;
    recordProcesses(ctx.evidence, model);
    const timeoutMs = ctx.manifest.stopTimeoutMs;
    const polled = { value: { alive: seen.alive, sockets: seen.sockets }, elapsedMs: seen.goneAfterExitMs };
    const roleOf = new Map(model.rows.map((row) => [row.pid, row.role]));
    const survivors = polled.value.alive.map((p) => ({ ...p, role: roleOf.get(p.pid) ?? "not seen before" }));
    ctx.evidence.signal = signal;
    ctx.evidence.startedProcess = describeExit(exit);
    ctx.evidence.goneAfterMs = Math.round(seen.goneAfterSignalMs);
    ctx.evidence.survivors = survivors;
    ctx.evidence.listenersLeft = polled.value.sockets;
    const expected = `every process of the launch gone and no LISTEN socket on the port within ${timeoutMs} ms`;
    if (survivors.length > 0) {
      const named = survivors.map((p) => `${p.pid} (${p.role}: ${p.cmdline.slice(0, 80)})`).join("; ");
      const launcherDied = exit?.signal === signal && model.launchers.length > 0;
      return fail(
        `${survivors.length} process(es) survived ${signal}: ${survivors.map((p) => p.pid).join(", ")}`,
        expected,
        `alive after ${timeoutMs} ms: ${named}; the started process: ${describeExit(exit)}`,
        launcherDied ? HINTS.launcherDied : exit ? HINTS.survivors : HINTS.noExit,
        "left-running",
      );
    }
    if (polled.value.sockets.length > 0) {
      return fail(
        `the port still listens after ${signal}`,
        expected,
        describeSockets(polled.value.sockets),
        undefined,
        "left-running",
      );
    }
    return pass(
      `all ${model.rows.length} processes gone and the port free ${Math.round(polled.elapsedMs)} ms after the exit`,
    );
  },
);
