import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kitRoot } from "../common/paths.ts";
import { runProcess } from "../common/run-process.ts";

/**
 * The install path users take: pack the kit, install the tarball into an empty
 * folder, and run `npx bustbench conformance` there, without this source tree.
 */
describe("the npm package", () => {
  it("installs into an empty folder and runs the conformance suite with npx", async () => {
    const packed = mkdtempSync(join(tmpdir(), "bustbench-pack-"));
    const pack = await runProcess("npm", ["pack", "--pack-destination", packed], {
      cwd: kitRoot(),
      timeoutMs: 120_000,
    });
    expect(pack.code, pack.stderr).toBe(0);
    const [tarball] = readdirSync(packed).filter((name) => name.endsWith(".tgz"));
    expect(tarball).toBeDefined();

    const app = mkdtempSync(join(tmpdir(), "bustbench-app-"));
    const install = await runProcess(
      "npm",
      ["install", "--no-audit", "--no-fund", join(packed, tarball as string)],
      {
        cwd: app,
        timeoutMs: 180_000,
      },
    );
    expect(install.code, install.stderr).toBe(0);
    const installed = join(app, "node_modules", "bustbench");
    // What users need, and nothing of the kit's own tests.
    expect(existsSync(join(installed, "dist", "cli", "bustbench.js"))).toBe(true);
    expect(existsSync(join(installed, "suites", "checks", "registry.ts"))).toBe(true);
    expect(existsSync(join(installed, "suites", "checks", "registry.test.ts"))).toBe(false);
    expect(existsSync(join(installed, "scripts"))).toBe(false);

    const help = await runProcess("npx", ["--no-install", "bustbench", "--help"], {
      cwd: app,
      timeoutMs: 30_000,
    });
    expect(help.stdout).toContain("conformance");

    const out = join(app, "results");
    const manifest = join(installed, "suites", "targets", "reference.json");
    const run = await runProcess(
      "npx",
      ["--no-install", "bustbench", "conformance", manifest, "--out", out],
      {
        cwd: app,
        timeoutMs: 180_000,
      },
    );
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain("Gate: PASS.");
    const report = JSON.parse(readFileSync(join(out, "reference.json"), "utf8")) as {
      gate: { passed: boolean };
    };
    expect(report.gate.passed).toBe(true);
    expect(readFileSync(join(out, "reference.junit.xml"), "utf8")).toContain("<testsuites");
  }, 400_000);
});
