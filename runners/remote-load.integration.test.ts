import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../common/run-cli.ts";
import { sleep } from "../common/sleep.ts";
import { renderMarkdown } from "../reports/markdown.ts";
import type { BenchResult } from "../results/bench.ts";
import { validateResult } from "../results/schemas/validate.ts";
import { SESSION_ENV } from "../targets/launch.ts";
import { findLeftovers } from "../targets/leftovers.ts";
import {
  cannotMakeLoadHosts,
  type LoadHostsFixture,
  makeKey,
  makeLoadHosts,
} from "./test-support/netns-hosts.ts";

/**
 * Load from other hosts, tried on hosts this test makes: two network
 * namespaces with sshd, on a bridge with addresses from 198.18.0.0/15. The
 * target runs here and listens on the bridge's address; wrk runs in the
 * namespaces over ssh.
 */
const skip = await cannotMakeLoadHosts();
let fixture: LoadHostsFixture;

const bench = async (args: string[], sshOptions = fixture.sshOptions) => {
  const out = mkdtempSync(join(tmpdir(), "bustbench-remote-"));
  const run = await runCli([
    "bench",
    "--json",
    "--out",
    out,
    "--baseline",
    "none",
    "--routes",
    "root",
    "--shutdown-runs",
    "0",
    "--target-address",
    fixture.targetAddress,
    ...sshOptions.flatMap((o) => ["--ssh-option", o]),
    ...args,
  ]);
  const [file] = readdirSync(out);
  const saved = file ? (JSON.parse(readFileSync(join(out, file), "utf8")) as BenchResult) : undefined;
  return { run, saved };
};

/** wrk processes still running in a load host's namespace. */
async function wrkIn(index: number): Promise<string[]> {
  const run = await fixture.exec(index, "pgrep", ["-a", "-x", "wrk"]);
  return run.stdout.split("\n").filter(Boolean);
}

/**
 * The kit's target processes of this test session still alive: those carrying its launch tag, not any
 * reference on the host (another run of the kit, a developer's server, may be going beside this one).
 */
async function targetsLeft(): Promise<string[]> {
  return (await findLeftovers(process.env[SESSION_ENV] ?? "")).map((p) => `${p.pid} ${p.cmdline}`);
}

/** A run long enough to interfere with, from load host `index`. */
const longRun = (index: number, durationS: number) =>
  bench([
    "--workers",
    "1",
    "--duration",
    String(durationS),
    "--runs",
    "1",
    "--warmup",
    "0",
    "--load-host",
    fixture.hosts[index]?.spec ?? "",
  ]);

/**
 * Waits until the run's load is on: a wrk with a duration. The probe before it runs `wrk -v` too, which a
 * busy host keeps alive long enough to be seen; killing "wrk" then would hit nothing of the load.
 */
async function waitForWrk(index: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await wrkIn(index)).some((line) => / -d ?\S/.test(line))) {
    if (Date.now() > deadline) throw new Error("wrk never started on the load host");
    await sleep(100);
  }
}

describe.skipIf(skip !== null)(
  skip ? `load from other hosts (skipped: ${skip})` : "load from other hosts (network namespaces, sshd, wrk)",
  () => {
    beforeAll(async () => {
      fixture = await makeLoadHosts(2);
    }, 60_000);

    afterAll(async () => {
      await fixture?.remove();
    }, 60_000);

    it("refuses an unreachable load host in one line, before starting anything", async () => {
      const unreachable = `root@${fixture.targetAddress.replace(/\.1$/, ".250")}`;
      const { run } = await bench(["--quick", "--workers", "1", "--load-host", unreachable]);
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(
        new RegExp(
          `^error: load host ${unreachable}: ssh: connect to host .*: (No route to host|Connection timed out|Connection refused)`,
        ),
      );
      expect(await targetsLeft()).toEqual([]);
    }, 60_000);

    it("says when authentication fails, in one line", async () => {
      const keyDir = mkdtempSync(join(tmpdir(), "bustbench-stranger-"));
      await makeKey(join(keyDir, "stranger"));
      const options = fixture.sshOptions.filter((o) => !o.startsWith("IdentityFile="));
      const { run } = await bench(
        ["--quick", "--workers", "1", "--load-host", fixture.hosts[0]?.spec ?? ""],
        [...options, `IdentityFile=${join(keyDir, "stranger")}`],
      );
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toMatch(/^error: load host root@[\d.]+: .*Permission denied \(publickey\)/);
    }, 60_000);

    it("benchmarks from one load host: its share, its CPU, its distance to the target", async () => {
      const host = fixture.hosts[0];
      const { run, saved } = await bench(["--quick", "--workers", "1,2", "--load-host", host?.spec ?? ""]);
      expect(run.code, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout) as BenchResult;
      expect(saved).toEqual(result);
      expect(validateResult("bench", 3, result)).toEqual([]);
      expect(result.loadHosts).toHaveLength(1);
      const info = result.loadHosts?.[0];
      expect(info?.host).toBe(host?.spec);
      expect(info?.cpus).toBeGreaterThan(0);
      expect(info?.kernel).toMatch(/^Linux /);
      expect(info?.rttMs).toBeGreaterThan(0);
      expect(info?.path).toContain(fixture.targetAddress);
      for (const point of result.points) {
        expect(point.placement).toBeNull();
        const r = point.runs[0];
        expect(r?.hosts).toHaveLength(1);
        expect(r?.hosts?.[0]?.requests).toBe(r?.requests);
        expect(r?.rps).toBeGreaterThan(0);
        expect(r?.hosts?.[0]?.wrkCores).toBeGreaterThan(0);
        expect(point.summary.failures).toBe(0);
      }
      expect(await targetsLeft()).toEqual([]);
      expect(await wrkIn(0)).toEqual([]);
    }, 120_000);

    it("benchmarks from two load hosts at once: RPS adds up, latency from the merged distributions", async () => {
      const { run } = await bench([
        "--quick",
        "--workers",
        "2",
        ...fixture.hosts.flatMap((h) => ["--load-host", h.spec]),
      ]);
      expect(run.code, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout) as BenchResult;
      expect(validateResult("bench", 3, result)).toEqual([]);
      expect(result.loadHosts?.map((h) => h.host)).toEqual(fixture.hosts.map((h) => h.spec));
      const r = result.points[0]?.runs[0];
      const shares = r?.hosts ?? [];
      expect(shares).toHaveLength(2);
      expect(shares.reduce((n, h) => n + h.requests, 0)).toBe(r?.requests);
      expect(r?.rps).toBeCloseTo(
        shares.reduce((n, h) => n + h.rps, 0),
        6,
      );
      for (const share of shares) {
        expect(share.requests).toBeGreaterThan(0);
        expect(share.wrkCores).toBeGreaterThan(0);
        expect(share.hostBusyCores).toBeGreaterThan(0);
      }
      // Merged, not averaged: the merged median lies between the hosts' own.
      const p50s = shares.map((h) => h.latencyMs.p50);
      expect(r?.latencyMs.p50).toBeGreaterThanOrEqual(Math.min(...p50s));
      expect(r?.latencyMs.p50).toBeLessThanOrEqual(Math.max(...p50s));
      expect(r?.latencyMs.count).toBe(r?.requests);
      // Both started at the same instant (same clock here): within 100 ms of each other.
      const starts = shares.map((h) => Number(BigInt(h.startedAtNs ?? "0") / 1_000_000n));
      expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(100);
      // Where the load came from, in the console table and the Markdown report.
      const markdown = renderMarkdown({ conformance: [], bench: [{ result }], skipped: [] });
      for (const h of fixture.hosts) expect(markdown).toContain(h.spec);
      expect(markdown).toContain("load from 2 host(s)");
    }, 120_000);

    it("marks the point failed when wrk is killed mid-run, and leaves nothing running", async () => {
      const pending = longRun(0, 6);
      await waitForWrk(0);
      await sleep(1_000);
      await fixture.exec(0, "pkill", ["-KILL", "-x", "wrk"]);
      const { run, saved } = await pending;
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(
        /could not be measured: 1w root: load host root@[\d.]+: wrk exited with code 137 \(signal 9\): it was killed mid-run/,
      );
      expect(saved?.failedPoints?.[0]?.reason).toMatch(/killed mid-run/);
      expect(saved?.points).toEqual([]);
      expect(await targetsLeft()).toEqual([]);
      expect(await wrkIn(0)).toEqual([]);
    }, 120_000);

    it("marks the point failed when the ssh connection is cut, and no wrk outlives it", async () => {
      const pending = longRun(1, 20);
      await waitForWrk(1);
      await fixture.cut(1);
      const { run, saved } = await pending;
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /could not be measured: 1w root: load host root@[\d.]+: .*(Timeout|timed out|Broken pipe|closed|cut)/i,
      );
      expect(saved?.failedPoints).toHaveLength(1);
      expect(await targetsLeft()).toEqual([]);
      // sshd there notices the vanished client within seconds and ends the session; wrk goes with it.
      const deadline = Date.now() + 20_000;
      while ((await wrkIn(1)).length > 0 && Date.now() < deadline) await sleep(250);
      expect(await wrkIn(1)).toEqual([]);
    }, 120_000);
  },
);
