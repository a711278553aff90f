import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, release, tmpdir } from "node:os";
import { join } from "node:path";
import { startVitest } from "vitest/node";
import { kitRoot } from "../common/paths.ts";
import { procAvailable } from "../common/probes/procfs.ts";
import type { CaseResult, ConformanceReport } from "../results/conformance.ts";
import type { Manifest } from "../targets/manifest.ts";
import { SHAPES_ENV } from "../targets/settle.ts";
import { assembleReport } from "./assemble/assemble-report.ts";
import { ResultCollector } from "./assemble/collect.ts";
import { filesFor, LOADING_CHECKS, LONG_WAITS, ROOTS } from "./checks/registry.ts";
import { FIRST_FILES_ENV } from "./harness/file-order.ts";
import { LOAD_LOCK_ENV } from "./harness/load-alone.ts";
import { ONLY_ENV, ROOT_FAILURES_ENV, TARGET_ENV } from "./harness/target.ts";
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
 * Checks side by side in the first phase: each mostly waits on its target (a replacement, a refusal, a
 * stop that may never come). Measured on a 2-core host (make suite-times): 4 rather than 3 took 4 to
 * 8 s off the servers that make checks wait, and left a conforming server's time within its spread.
 */
export const SUITE_PARALLELISM = 4;

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
  const collector = new ResultCollector((done, latest) => {
    if (latest.status === "fail" && latest.cause)
      appendFileSync(rootFailures, `${latest.requirement} ${latest.cause}\n`);
    options.progress?.(done, latest);
  });
  const startedAt = new Date();
  const started = performance.now();
  process.env[TARGET_ENV] = manifest.path;
  const ids = options.only ?? REQUIREMENT_IDS;
  // A group file declares several requirements' checks: it runs only the selected ones.
  if (options.only) process.env[ONLY_ENV] = options.only.join(",");
  else delete process.env[ONLY_ENV];
  // Checks that only start, observe and stop a target wait on it far more than they use the CPU:
  // several run side by side. Checks that load the target (and count what the load lost) run after,
  // side by side too, but each start and load alone (loadAlone), on an otherwise quiet host.
  const files = (selected: readonly RequirementId[]) =>
    filesFor(selected).map((file) => `suites/checks/${file}`);
  const phases: Array<{ files: string[]; parallel: boolean }> = [
    { files: files(ids.filter((id) => !LOADING_CHECKS.has(id))), parallel: true },
    { files: files(ids.filter((id) => LOADING_CHECKS.has(id))), parallel: true },
  ];
  try {
    for (const phase of phases) {
      if (phase.files.length === 0) continue;
      const vitest = await startVitest("test", phase.files, {
        root,
        // Its own config: no build step (dist/ is shipped), and it works from node_modules.
        config: join(root, "suites", "vitest.conformance.config.ts"),
        watch: false,
        reporters: [collector],
        silent: true,
        fileParallelism: phase.parallel,
        maxWorkers: phase.parallel ? SUITE_PARALLELISM : 1,
      });
      await vitest.close();
    }
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
