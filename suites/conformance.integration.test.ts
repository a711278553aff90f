import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kitRoot } from "../common/paths.ts";
import { runCli } from "../common/run-cli.ts";
import { MUTANT_EFFECTS, type Mutant } from "../reference-server/test/mutants/mutants.ts";
import type { ConformanceReport } from "../results/conformance.ts";
import { validateResult } from "../results/schemas/validate.ts";
import { runCliAlone } from "../runners/test-support/cli-session.ts";
import { startCpuHogs } from "../scripts/cpu-hog.ts";
import { SESSION_ENV } from "../targets/launch.ts";
import { findLeftovers } from "../targets/leftovers.ts";
import { explainVerdicts } from "./explain-verdicts.ts";
import { REQUIREMENT_IDS, REQUIREMENTS, type RequirementId } from "./requirements.ts";

// make test-loaded: a CPU hog on every core beside these tests; their verdicts must not change.
let stopHogs: () => void = () => {};
beforeAll(() => {
  stopHogs = startCpuHogs();
});
afterAll(() => stopHogs());

const ROOT = kitRoot();
const REFERENCE = join(ROOT, "suites", "manifests", "reference.json");
const CONTROL = join(ROOT, "suites", "manifests", "round-robin.json");
const MUSTS = REQUIREMENT_IDS.filter((id) => REQUIREMENTS[id].level === "MUST");

/** One run of the suite, in a session of its own: the tests run side by side. */
async function suiteJson(manifest: string, extra: string[] = []) {
  const out = mkdtempSync(join(tmpdir(), "bustbench-conf-"));
  const { run, leftovers } = await runCliAlone(["conformance", manifest, "--json", "--out", out, ...extra]);
  let report: ConformanceReport | undefined;
  try {
    report = JSON.parse(run.stdout) as ConformanceReport;
  } catch {
    report = undefined;
  }
  return { run, report, out, leftovers };
}

function verdicts(report: ConformanceReport | undefined): Partial<Record<RequirementId, string>> {
  return Object.fromEntries((report?.requirements ?? []).map((r) => [r.id, r.verdict]));
}

/** The test-only build of the reference with one fault (reference-server/test/mutants/cli.ts). */
const MUTANT_CLI = join(ROOT, "dist", "test", "reference-mutant.js");

/**
 * The reference's manifest, started through the mutant entry point. Its own timeouts: the suite decides
 * as soon as the answer is certain (a start that settled, a replacement that is not coming), and a
 * timeout shortened to save time would be a verdict that depends on how busy the host is.
 */
function mutantManifest(mutant: Mutant): string {
  const manifest = JSON.parse(readFileSync(REFERENCE, "utf8"));
  manifest.name = `reference-${mutant}`;
  const [node, , ...args] = manifest.command as string[];
  manifest.command = [node, MUTANT_CLI, "--mutant", mutant, ...args];
  // The reference's own expected deviations would hide what a mutant breaks.
  delete manifest.expect;
  const path = join(mkdtempSync(join(tmpdir(), "bustbench-mutant-")), `${mutant}.json`);
  writeFileSync(path, JSON.stringify(manifest));
  return path;
}

/** Processes of the kit's test targets still alive (none may be, once a run is over). */
async function leftoverTargets(): Promise<string[]> {
  // This test session's launches (their tag), not any server on the host: another run of the kit may be
  // going beside this one.
  return (await findLeftovers(process.env[SESSION_ENV] ?? "")).map((p) => `${p.pid} ${p.cmdline}`);
}

// Every test runs side by side with the others (at most the project's maxConcurrency at once): each is
// judged on its own run, and the longest, the reference's whole suite, starts first.
describe.concurrent("bustbench conformance", () => {
  it("passes the reference on every requirement and writes valid JSON and JUnit", async () => {
    const { run, report, out, leftovers } = await suiteJson(REFERENCE);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(validateResult("conformance", 3, report)).toEqual([]);
    const notPassing = report?.requirements.filter((r) => r.verdict !== "pass" && r.verdict !== "info");
    expect(
      notPassing?.map((r) => `${r.id}: ${r.summary}`),
      explainVerdicts(notPassing ?? []),
    ).toEqual([]);
    expect(JSON.parse(readFileSync(join(out, "reference.json"), "utf8"))).toEqual(report);
    const junit = readFileSync(join(out, "reference.junit.xml"), "utf8");
    expect(junit).toContain(`tests="${REQUIREMENT_IDS.length}" failures="0" errors="0"`);
    expect(await leftovers()).toEqual([]);
  });

  it("fails the round-robin control on PORT only, and passes SPAWN", async () => {
    // The MUSTs decide the gate; the control's SHOULD failures (no input checks, no respawn) only cost time.
    const { run, report, leftovers } = await suiteJson(CONTROL, ["--only", MUSTS.join(",")]);
    expect(run.code).toBe(1);
    expect(validateResult("conformance", 3, report)).toEqual([]);
    const found = verdicts(report);
    const wanted: Record<string, string> = {
      "SPAWN-1": "pass",
      "SPAWN-2": "pass",
      "PORT-1": "fail",
      "PORT-2": "fail",
    };
    // What each requirement that differs saw: a CI log shows this message, not the report.
    const why = explainVerdicts(
      (report?.requirements ?? []).filter((r) => r.id in wanted && r.verdict !== wanted[r.id]),
    );
    expect(found, why).toMatchObject(wanted);
    expect(report?.gate.blocking).toEqual(["PORT-1", "PORT-2"]);
    // The control declares neither platformEnv nor debugArgs.
    expect(found).toMatchObject({
      "PLATFORM-1": "not-applicable",
      "PLATFORM-2": "not-applicable",
      "DEBUG-1": "not-applicable",
    });
    expect(await leftovers()).toEqual([]);
  });

  it("reports a listed failure as expected, and a listed pass as removable", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bustbench-expect-"));
    const manifest = JSON.parse(readFileSync(CONTROL, "utf8"));
    manifest.command = manifest.command.map((part: string) =>
      part.replace("{manifestDir}", join(ROOT, "suites", "manifests")),
    );
    manifest.expect = [
      { id: "PORT-1", reason: "round-robin by design", until: "2099-12-31" },
      { id: "PORT-2", reason: "round-robin by design", until: "2020-01-01" },
      { id: "SPAWN-2", reason: "was missing once", until: "2099-12-31" },
    ];
    writeFileSync(join(dir, "control.json"), JSON.stringify(manifest));
    const { run, report } = await suiteJson(join(dir, "control.json"), ["--only", "SPAWN-2,PORT"]);
    expect(run.code).toBe(1); // PORT-2's entry expired
    const byId = Object.fromEntries((report?.requirements ?? []).map((r) => [r.id, r]));
    expect(byId["PORT-1"]).toMatchObject({
      verdict: "expected-fail",
      note: "expected until 2099-12-31: round-robin by design",
    });
    expect(byId["PORT-2"]).toMatchObject({
      verdict: "fail",
      note: "listed in expect, but that expired on 2020-01-01",
    });
    expect(byId["SPAWN-2"]).toMatchObject({
      verdict: "pass",
      note: "listed in expect but passes: remove the entry",
    });
    expect(report?.gate.blocking).toEqual(["PORT-2"]);
  });

  it.each([
    [["conformance", "/no/such/manifest.json"], "error: /no/such/manifest.json: no such file"],
    [["conformance", "--bogus"], "error: unknown option --bogus (see --help)"],
    [["conformance", "--only", "NOPE"], "error: --only: unknown requirement or area 'NOPE' (see SPEC.md)"],
    [
      ["frobnicate"],
      "error: unknown command 'frobnicate' (commands: conformance, bench, lifecycle, report, compare)",
    ],
  ])("refuses %j with one line and exit 2", async (args, line) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`${line}\n`);
  });

  it("names the key of a manifest that fails the schema", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bustbench-bad-"));
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ name: "x", command: "serve --port {port}" }));
    const run = await runCli(["conformance", join(dir, "bad.json")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`error: ${join(dir, "bad.json")}: command: must be an array\n`);
  });
});

/**
 * Each mutant of the reference breaks the requirements its table entry lists (reference-server/test/
 * mutants/mutants.ts), and the others its faulty code path reaches still pass: proof that every check can
 * fail, and fails for its own reason. Only those requirements run: a mutant costs seconds, not a suite.
 */
describe.concurrent("each mutant of the reference fails exactly its requirement", () => {
  it.concurrent.each(Object.entries(MUTANT_EFFECTS) as Array<[Mutant, (typeof MUTANT_EFFECTS)[Mutant]]>)(
    "%s breaks what its table says",
    async (mutant, { breaks, reaches }) => {
      const only = [...new Set<string>([...breaks, ...reaches])];
      const { run, report } = await suiteJson(mutantManifest(mutant), ["--only", only.join(",")]);
      const found = verdicts(report);
      const expected = Object.fromEntries(
        only.map((id) => [id, (breaks as readonly string[]).includes(id) ? "fail" : "pass"]),
      );
      // On a mismatch, what each check saw: the cause is in the summary, not in the verdict alone.
      const why = explainVerdicts((report?.requirements ?? []).filter((r) => r.verdict !== expected[r.id]));
      expect(found, why || run.stderr).toEqual(expected);
      expect(run.code).toBe(
        (breaks as readonly string[]).some((id) => REQUIREMENTS[id as RequirementId].level === "MUST")
          ? 1
          : 0,
      );
    },
  );
});

// After every run above (a suite that is not concurrent starts once the concurrent ones are over).
describe("once every run is over", () => {
  it("leaves no target process behind", async () => {
    expect(await leftoverTargets()).toEqual([]);
  });
});
