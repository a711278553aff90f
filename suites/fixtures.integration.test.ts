import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshNetwork } from "../common/fresh-network.ts";
import { kitRoot } from "../common/paths.ts";
import { runCli } from "../common/run-cli.ts";
import type { ConformanceReport, Verdict } from "../results/conformance.ts";
import { startCpuHogs } from "../scripts/cpu-hog.ts";
import { SESSION_ENV } from "../targets/launch.ts";
import { findLeftovers } from "../targets/leftovers.ts";
import { explainVerdicts } from "./explain-verdicts.ts";
import { REQUIREMENTS, type RequirementId } from "./requirements.ts";

// make test-loaded: a CPU hog on every core beside these tests; their verdicts must not change.
let stopHogs: () => void = () => {};
beforeAll(() => {
  stopHogs = startCpuHogs();
});
afterAll(() => stopHogs());

const PYTHON = join(kitRoot(), "suites", "fixtures", "python");

/**
 * Servers nobody here wrote take shapes the reference does not (see
 * suites/fixtures/python/README.md). Each fixture stands for one: the
 * conforming ones must pass every requirement run against them, the broken
 * ones fail exactly the requirements listed, and pass the others.
 */
const FIXTURES: Array<{ fixture: string; verdicts: Partial<Record<RequirementId, Verdict>> }> = [
  {
    fixture: "forkserver",
    verdicts: {
      "SPAWN-1": "pass",
      "SPAWN-2": "pass",
      "PORT-1": "pass",
      "PORT-2": "pass",
      "DIST-1": "pass",
      "HTTP-1": "pass",
      "HTTP-2": "pass",
      "HTTP-4": "pass",
      "SIGNAL-1": "pass",
      "SIGNAL-2": "pass",
      "SIGNAL-3": "pass",
      "SIGNAL-4": "pass",
      "GROUP-1": "pass",
      "GROUP-2": "pass",
      "SERVICE-1": "pass",
      "ORPHAN-1": "pass",
      "ORPHAN-2": "pass",
      "PLATFORM-1": "pass",
      "PLATFORM-2": "pass",
      "PLATFORM-3": "pass",
      "DEBUG-1": "pass",
    },
  },
  {
    fixture: "launcher",
    verdicts: {
      "SPAWN-1": "pass",
      "PORT-1": "pass",
      "PORT-2": "pass",
      "SIGNAL-2": "pass",
      "SIGNAL-3": "pass",
      "DEBUG-1": "pass",
    },
  },
  {
    fixture: "http10",
    verdicts: {
      "DIST-1": "pass",
      "HTTP-1": "pass",
      "HTTP-2": "pass",
      "SIGNAL-4": "pass",
      "SIGNAL-5": "pass",
    },
  },
  // Answers on its first read, then closes: attributed before a byte is sent, and its in-flight request is
  // one it accepted and waits to read.
  { fixture: "first-read", verdicts: { "DIST-1": "pass", "HTTP-1": "pass", "SIGNAL-4": "pass" } },
  // Only one worker binds: SPAWN-1 fails, and what depends on finding the workers is not judged.
  {
    fixture: "missing-workers",
    verdicts: {
      "SPAWN-1": "fail",
      "DIST-1": "not-judged",
      "HTTP-1": "not-judged",
      "RESPAWN-1": "not-judged",
    },
  },
  // Its /json carries a counter made before each fork: it answers differently with N workers (HTTP-4),
  // unless the manifest names the field as differing by design.
  { fixture: "fork-counter", verdicts: { "HTTP-4": "fail" } },
  { fixture: "fork-counter-by-design", verdicts: { "HTTP-4": "pass" } },
  // Workers leave SIGINT at the system's default, the primary forwards SIGTERM: a real Ctrl+C kills them
  // with the request in flight (GROUP-1) while SIGINT to the primary alone passes (SIGNAL-4).
  { fixture: "default-sigint", verdicts: { "SIGNAL-4": "pass", "GROUP-1": "fail", "GROUP-2": "pass" } },
  // Workers that do not notice their primary's death keep serving the port.
  { fixture: "orphans", verdicts: { "SIGNAL-2": "pass", "ORPHAN-1": "fail" } },
  { fixture: "buffered", verdicts: { "SPAWN-2": "pass", "SIGNAL-1": "pass", "PLATFORM-3": "pass" } },
  // Ready once its first worker answers, its signal handlers set only after the last fork: a SIGTERM to
  // read its output must wait for the workers, or it kills the primary before it prints anything.
  { fixture: "buffered-slow-forks", verdicts: { "SPAWN-2": "pass", "PLATFORM-3": "pass" } },
  { fixture: "slow-start", verdicts: { "SPAWN-1": "pass", "PORT-1": "pass", "DIST-1": "pass" } },
  {
    fixture: "serial",
    verdicts: { "DIST-1": "pass", "HTTP-1": "pass", "HTTP-2": "pass", "SIGNAL-4": "pass" },
  },
  // RESPAWN-2 must not count the primary, which holds the shared socket, as a worker serving again.
  {
    fixture: "shared-listener",
    verdicts: { "SPAWN-1": "pass", "PORT-1": "fail", "PORT-2": "fail", "RESPAWN-2": "fail" },
  },
  { fixture: "primary-serves", verdicts: { "SPAWN-1": "fail", "PORT-1": "fail", "PORT-2": "fail" } },
  { fixture: "few-accepts", verdicts: { "SPAWN-1": "pass", "PORT-1": "pass", "DIST-1": "fail" } },
  { fixture: "kill-workers", verdicts: { "SIGNAL-3": "pass", "SIGNAL-4": "fail", "SIGNAL-5": "fail" } },
  { fixture: "leave-behind", verdicts: { "SIGNAL-2": "fail", "SIGNAL-3": "pass" } },
  { fixture: "drops-queue", verdicts: { "SIGNAL-3": "pass", "SIGNAL-6": "fail" } },
  // The primary exits at once; its workers serve 1 s more, then close with a queue: the load must outlast
  // the exit until the last listener is closed to see it. They stop accepting 1.5 s before they close,
  // longer than the pauses a load generator starved by the CPU hogs makes (0.3 s passed unseen).
  { fixture: "exits-first", verdicts: { "SIGNAL-3": "pass", "SIGNAL-6": "fail" } },
  // One process with threads, a 60 s start timeout: its starts settle once nothing changes, not at 60 s.
  {
    fixture: "threads",
    verdicts: {
      "SPAWN-1": "fail",
      "SPAWN-2": "pass",
      "DIST-1": "not-judged",
      "HTTP-1": "not-judged",
      "SIGNAL-3": "pass",
    },
  },
  // Ready with workers=0 has accepted it; a replacement that never comes is decided once nothing changes.
  { fixture: "any-workers", verdicts: { "SPAWN-1": "pass", "INPUT-1": "fail", "RESPAWN-1": "fail" } },
  // Killed by its own signal, its workers left serving: what closing them would lose is not judged.
  {
    fixture: "signal-kills-primary",
    verdicts: { "SIGNAL-3": "fail", "SIGNAL-2": "fail", "SIGNAL-6": "not-judged", "ORPHAN-1": "fail" },
  },
  // Workers ignore SIGTERM and are killed after 5 s: what is queued then is lost (after the old 0.5 s window).
  { fixture: "grace-kill", verdicts: { "SIGNAL-3": "pass", "SIGNAL-4": "pass", "SIGNAL-6": "fail" } },
  { fixture: "long-timeouts", verdicts: { "SPAWN-1": "pass", "PORT-1": "pass", "SIGNAL-3": "pass" } },
];

describe("Python fixtures: the shapes real servers take", () => {
  it.concurrent.each(FIXTURES)("$fixture gets its verdicts", async ({ fixture, verdicts }) => {
    const only = Object.keys(verdicts);
    const out = mkdtempSync(join(tmpdir(), "bustbench-fixture-"));
    // In a network namespace of its own where it can (as runCliAlone): judged on its own connections.
    const run = await runCli(
      ["conformance", join(PYTHON, `${fixture}.json`), "--only", only.join(","), "--json", "--out", out],
      {},
      undefined,
      await freshNetwork(),
    );
    const report = JSON.parse(run.stdout) as ConformanceReport;
    const found = Object.fromEntries(report.requirements.map((r) => [r.id, r.verdict]));
    const why = explainVerdicts(
      report.requirements.filter((r) => r.verdict !== verdicts[r.id as RequirementId]),
    );
    expect(found, why).toEqual(verdicts);
    // A failure at SIGINT decides SIGNAL-6: its SIGTERM case is reported as not run, not run for nothing.
    const loss = report.requirements.find((r) => r.id === "SIGNAL-6");
    if (loss?.verdict === "fail" && loss.cases.find((c) => c.case === "SIGINT")?.status === "fail") {
      expect(loss.cases.find((c) => c.case === "SIGTERM")?.summary).toMatch(
        /^not run: the SIGINT case had already failed/,
      );
    }
    const mustFails = Object.entries(verdicts).some(
      ([id, v]) => v === "fail" && REQUIREMENTS[id as RequirementId].level === "MUST",
    );
    expect(run.code).toBe(mustFails ? 1 : 0);
  });

  it("leaves nothing running", async () => {
    expect(await findLeftovers(process.env[SESSION_ENV] ?? "")).toEqual([]);
  });
});
