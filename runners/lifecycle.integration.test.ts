import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kitRoot } from "../common/paths.ts";
import { runCli } from "../common/run-cli.ts";
import type { LifecycleResult } from "../results/lifecycle.ts";
import { validateResult } from "../results/schemas/validate.ts";
import { SESSION_ENV } from "../targets/launch.ts";
import { findLeftovers } from "../targets/leftovers.ts";

async function lifecycle(args: string[]) {
  const out = mkdtempSync(join(tmpdir(), "bustbench-lifecycle-"));
  const run = await runCli(["lifecycle", ...args, "--runs", "1", "--no-migrate-req", "--json", "--out", out]);
  return { run, result: JSON.parse(run.stdout || "null") as LifecycleResult | null };
}

describe("bustbench lifecycle", () => {
  it("measures what stopping, killing a worker and killing the primary cost the reference", async () => {
    const { run, result } = await lifecycle(["--events", "sigterm-group,worker-kill,primary-kill"]);
    expect(run.code, run.stderr).toBe(0);
    expect(validateResult("lifecycle", 3, result)).toEqual([]);
    const byId = Object.fromEntries((result?.events ?? []).map((e) => [e.id, e]));
    const stop = byId["sigterm-group"]?.runs[0];
    expect(stop?.exit).toBe("exit code 0");
    expect(stop?.leftRunning).toEqual([]);
    expect(stop?.shutdownLine).toBe(true);
    expect((stop?.answered ?? 0) + (stop?.refused ?? 0) + (stop?.lost ?? 0) + (stop?.hung ?? 0)).toBe(
      stop?.sent,
    );
    // The server survives a killed worker: it serves again, and nothing is left to count.
    expect(byId["worker-kill"]?.runs[0]?.recoveryMs).toBeGreaterThan(0);
    // The reference's workers drain and exit when their primary dies.
    expect(byId["primary-kill"]?.runs[0]?.leftRunning).toEqual([]);
    expect(await findLeftovers(process.env[SESSION_ENV] ?? "")).toEqual([]);
  });

  it("names the workers that outlive their primary, and that they still answer", async () => {
    const orphans = join(kitRoot(), "suites", "fixtures", "python", "orphans.json");
    const { run, result } = await lifecycle([orphans, "--events", "primary-kill"]);
    expect(run.code, run.stderr).toBe(0);
    const left = result?.events[0]?.runs[0];
    expect(left?.leftRunning.map((s) => s.role)).toEqual(["worker", "worker"]);
    expect(left?.portAnsweredAfter).toBe(true);
    expect(await findLeftovers(process.env[SESSION_ENV] ?? "")).toEqual([]);
  });

  it("says a worker event does not apply to a server that serves from one process", async () => {
    const bare = join(kitRoot(), "suites", "manifests", "bare-node.json");
    const { run, result } = await lifecycle([bare, "--events", "worker-kill,worker-hang"]);
    expect(run.code, run.stderr).toBe(0);
    expect(validateResult("lifecycle", 3, result)).toEqual([]);
    for (const event of result?.events ?? []) {
      expect(event.runs).toEqual([]);
      expect(event.notApplicable).toMatch(/^one process serves/);
    }
    expect(result?.events.map((e) => e.id)).toEqual(["worker-kill", "worker-hang"]);
    expect(await findLeftovers(process.env[SESSION_ENV] ?? "")).toEqual([]);
  });

  it("refuses an unknown event in one line", async () => {
    const run = await runCli(["lifecycle", "--events", "reboot"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: --events: unknown event 'reboot' \(events: sigint-process, /);
  });
});
