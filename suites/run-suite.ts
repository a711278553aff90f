import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, release, tmpdir } from "node:os";
import { join } from "node:path";
import { type Reporter, startVitest } from "vitest/node";
import { kitRoot } from "../common/paths.ts";
import { procAvailable } from "../common/probes/procfs.ts";
import type { CaseResult, ConformanceReport } from "../results/conformance.ts";
import type { Manifest } from "../targets/manifest.ts";
import { SHAPES_ENV } from "../targets/settle.ts";
import { assembleReport } from "./assemble/assemble-report.ts";
import { ResultCollector } from "./assemble/collect.ts";
import { filesFor, LOADS_FILE, LONG_WAITS, ROOTS } from "./checks/registry.ts";
import { FIRST_FILES_ENV, LAST_FILE_ENV } from "./harness/file-order.ts";
import { LOAD_LOCK_ENV, LOADS_GATE_ENV } from "./harness/load-alone.ts";
import { ONLY_ENV, ROOT_FAILURES_ENV, TARGET_ENV, TARGET_MANIFEST_ENV } from "./harness/target.ts";
import { REQUIREMENT_IDS, type RequirementId } from "./requirements.ts";

export interface SuiteOptions {
  strict: boolean;
  today: string;
  suiteVersion: string;
  /** Run only these requirements' checks (all when absent). */
  only?: readonly RequirementId[];
  /** Called after each case, for a progress line. */
  progress?: (done: number, latest: CaseResult) => void;
}

/**
 * Check files side by side, the loads' among them, last (see LOADS_FILE): most checks mostly wait on their
 * target (a replacement, a refusal, a stop that may never come), and the long waits share one file.
 * Each vitest worker costs about 0.9 CPU s to start, and the checks before the loads keep a 2-core
 * host busy: measured (make suite-times, 3 runs each, medians), 3 took the reference from 22.7 to
 * 21.4 s, the forkserver fixture from 23.4 to 21.3 s and any-workers from 20.5 to 19.2 s against 4;
 * 2 was slower again (22.2, 24.8, 18.6 s).
 */
export const SUITE_PARALLELISM = 3;

/** Runs every check against `manifest` through vitest and returns the report; never prints. */
export async function runSuite(
  manifest: Manifest,
  options: SuiteOptions,
): Promise<{ report: ConformanceReport; harnessErrors: string[] }> {
  const root = kitRoot();
  // Root failures as they happen, for the dependent checks still to start (see failedDependency).
  const scratch = mkdtempSync(join(tmpdir(), "bustbench-suite-"));
  const rootFailures = join(scratch, "root-failures");
  writeFileSync(rootFailures, "");
  process.env[ROOT_FAILURES_ENV] = rootFailures;
  process.env[LOAD_LOCK_ENV] = join(scratch, "loading");
  // The shapes starts settled in (one process, N - 1 workers): later starts with the same options do not
  // wait for the quiet period again (targets/settle.ts).
  process.env[SHAPES_ENV] = join(scratch, "shapes");
  // The files of the requirements others depend on start first (see failedDependency), then those
  // that mostly wait.
  process.env[FIRST_FILES_ENV] = filesFor([...ROOTS, ...LONG_WAITS])
    .map((file) => `suites/checks/${file}`)
    .join(",");
  // The loads' file last: it waits for every other file anyway (the gate below), and queued last it takes
  // a worker only once no other file needs one.
  process.env[LAST_FILE_ENV] = `suites/checks/${LOADS_FILE}`;
  // The loads start once every other check has ended (see LOADS_GATE_ENV).
  const gate = join(scratch, "loads-gate");
  process.env[LOADS_GATE_ENV] = gate;
  const collector = new ResultCollector((done, latest) => {
    if (latest.status === "fail" && latest.cause)
      appendFileSync(rootFailures, `${latest.requirement} ${latest.cause}\n`);
    options.progress?.(done, latest);
  });
  const startedAt = new Date();
  const started = performance.now();
  process.env[TARGET_ENV] = manifest.path;
  process.env[TARGET_MANIFEST_ENV] = JSON.stringify(manifest);
  const ids = options.only ?? REQUIREMENT_IDS;
  // A group file declares several requirements' checks: it runs only the selected ones.
  if (options.only) process.env[ONLY_ENV] = options.only.join(",");
  else delete process.env[ONLY_ENV];
  // One vitest run: checks that only start, observe and stop a target wait on it far more than they
  // use the CPU, and run side by side (the long waits all together in one file); the checks that load
  // a target and count what the load lost start their loads, one at a time, once the others have ended
  // (a second vitest run for them cost a second start of vitest and its workers).
  const selectedFiles = filesFor(ids).map((file) => `suites/checks/${file}`);
  const notGating = new Set([`suites/checks/${LOADS_FILE}`]);
  const gating = new Set(
    selectedFiles.filter((file) => !notGating.has(file)).map((file) => join(root, file)),
  );
  const openGate = () => writeFileSync(gate, "");
  if (gating.size === 0) openGate();
  const gateKeeper: Reporter = {
    onTestModuleEnd(module) {
      if (!gating.delete(module.moduleId) || gating.size > 0) return;
      openGate();
    },
  };
  try {
    const vitest = await startVitest("test", selectedFiles, {
      root,
      // Its own config: no build step (dist/ is shipped), and it works from node_modules.
      config: join(root, "suites", "vitest.conformance.config.ts"),
      watch: false,
      reporters: [collector, gateKeeper],
      silent: true,
      fileParallelism: true,
      // The loads' file runs last, in whichever worker is free first (LAST_FILE_ENV): a worker of its own,
      // which it only spent waiting for the gate, cost a vitest worker's start (about 0.9 CPU s) at the
      // busiest moment of the run.
      maxWorkers: SUITE_PARALLELISM,
    });
    await vitest.close();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const durationMs = Math.round(performance.now() - started);
  const report = assembleReport(
    collector.results,
    manifest,
    {
      suiteVersion: options.suiteVersion,
      startedAt: startedAt.toISOString(),
      durationMs,
      host: {
        os: process.platform,
        kernel: release(),
        arch: process.arch,
        node: process.version,
        cpus: availableParallelism(),
        procAvailable: procAvailable(),
      },
      strict: options.strict,
      today: options.today,
    },
    ids,
  );
  return { report, harnessErrors: collector.errors };
}
