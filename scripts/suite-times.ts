/**
 * How long the conformance suite takes, on the shapes that used to cost it most (issue 27): the full
 * suite against each target, RUNS times, one after another on an otherwise idle host. Writes
 * docs/suite-times.json (every run: its duration, gate and slowest checks) and docs/suite-times.md (the
 * medians), so that a change that makes the suite slower on some shape shows in review.
 *
 *   node scripts/suite-times.ts [--runs 3] [--kit DIR] [--out DIR] [--only a,b]
 *
 * --kit runs another checkout's built CLI (DIR/dist/cli/bustbench.js) on this checkout's manifests: how
 * the figures before a change are taken. Exit code 0, or 2 on bad options.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, release, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { freshNetwork } from "../common/fresh-network.ts";
import { makeDir } from "../common/make-dir.ts";
import { kitRoot } from "../common/paths.ts";
import { timeWaitCount } from "../common/probes/procfs.ts";
import { runProcess } from "../common/run-process.ts";
import { sleep } from "../common/sleep.ts";
import { median } from "../common/stats.ts";
import { textTable } from "../common/text-table.ts";
import type { ConformanceReport } from "../results/conformance.ts";
import { slowestRequirements } from "../results/verdicts.ts";

/** The shapes measured, with what each stands for. */
export const SUITE_TIME_TARGETS = [
  { manifest: "suites/manifests/reference.json", shape: "the reference" },
  { manifest: "suites/fixtures/python/forkserver.json", shape: "conforming (Python, forkserver)" },
  { manifest: "suites/fixtures/python/long-timeouts.json", shape: "conforming, 60 s start allowed" },
  { manifest: "suites/fixtures/python/threads.json", shape: "one process with threads, 60 s start" },
  { manifest: "suites/fixtures/python/any-workers.json", shape: "accepts any workers value, never replaces" },
  {
    manifest: "suites/fixtures/python/signal-kills-primary.json",
    shape: "primary killed by its signal, workers left",
  },
  { manifest: "suites/fixtures/python/grace-kill.json", shape: "workers killed after a 5 s grace period" },
  { manifest: "suites/fixtures/python/missing-workers.json", shape: "one of N workers binds" },
] as const;

/**
 * A run starts once the host holds fewer TCP connections in TIME_WAIT than this (an earlier run's, which
 * expire after 60 s), or once it has waited TIME_WAIT_WAIT_S: every read of /proc/net/tcp returns them
 * all, and a run right after another took 0.7 and 1.4 s longer for it (two pairs of the reference).
 */
const TIME_WAIT_QUIET = 500;
const TIME_WAIT_WAIT_S = 65;

/** Waits until the host's TIME_WAIT connections are few (see TIME_WAIT_QUIET); returns the count it started with. */
async function drainTimeWait(): Promise<{ timeWaitAtStart: number | null; waitedS: number }> {
  const started = performance.now();
  for (;;) {
    const count = timeWaitCount();
    const waitedS = Math.round((performance.now() - started) / 100) / 10;
    if (count === undefined || count < TIME_WAIT_QUIET || waitedS >= TIME_WAIT_WAIT_S)
      return { timeWaitAtStart: count ?? null, waitedS };
    await sleep(1_000);
  }
}

interface TimedRun {
  durationS: number;
  /**
   * TCP connections in TIME_WAIT on the host when the run started, and how long it waited for them
   * (null and 0 in a network namespace of its own).
   */
  timeWaitAtStart: number | null;
  waitedForTimeWaitS: number;
  gate: string;
  exitCode: number | null;
  /** The three checks that took longest, in seconds (their own time, not waits for a load lock). */
  slowest: Array<{ id: string; s: number }>;
  /** Every verdict other than pass and info: a faster suite must not judge differently. */
  verdicts: Record<string, string>;
  /** Where the run's report was kept: its verdicts differed from the first run's, or it took over SLOW_RUN_S. */
  reportKept?: string;
}

/** The longest a suite run should take on any target (issue 27): a run over it keeps its report. */
const SLOW_RUN_S = 30;

function slowest(report: ConformanceReport): TimedRun["slowest"] {
  return slowestRequirements(report.requirements).map((x) => ({ id: x.id, s: Math.round(x.ms / 100) / 10 }));
}

async function main(): Promise<void> {
  let values: { runs?: string; kit?: string; out?: string; only?: string };
  try {
    ({ values } = parseArgs({
      options: {
        runs: { type: "string" },
        kit: { type: "string" },
        out: { type: "string" },
        only: { type: "string" },
      },
    }));
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const runs = Number(values.runs ?? "3");
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write(`error: --runs must be a whole number from 1, got '${values.runs}'\n`);
    process.exit(2);
  }
  const root = kitRoot();
  const kit = values.kit ?? root;
  const out = values.out ?? join(root, "docs");
  // Made (or refused) before the minutes of measuring, not after them.
  try {
    makeDir(out);
  } catch (error) {
    process.stderr.write(
      `error: --out ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
    );
    process.exit(2);
  }
  const only = values.only?.split(",");
  const targets = SUITE_TIME_TARGETS.filter((t) => !only || only.some((o) => t.manifest.includes(o)));
  const results: Array<{ manifest: string; shape: string; runs: TimedRun[] }> = [];
  // Each run without an earlier run's TIME_WAIT connections: as root, in a network namespace of its own,
  // so that no run waits for the last one's to expire (about a minute each); otherwise in the host's,
  // after waiting (drainTimeWait).
  const fresh = await freshNetwork();
  for (const target of targets) {
    const timed: TimedRun[] = [];
    for (let run = 1; run <= runs; run++) {
      const drained = fresh ? { timeWaitAtStart: null, waitedS: 0 } : await drainTimeWait();
      const dir = mkdtempSync(join(tmpdir(), "bustbench-suite-times-"));
      const suite = [
        process.execPath,
        join(kit, "dist", "cli", "bustbench.js"),
        "conformance",
        join(root, target.manifest),
        "--json",
        "--out",
        dir,
      ];
      const [command = "", ...args] = fresh ? fresh(suite) : suite;
      const started = performance.now();
      const done = await runProcess(command, args, { cwd: kit, timeoutMs: 900_000 });
      const wall = (performance.now() - started) / 1000;
      let report: ConformanceReport | undefined;
      try {
        report = JSON.parse(done.stdout) as ConformanceReport;
      } catch {
        report = undefined;
      }
      const entry: TimedRun = {
        durationS: Math.round((report ? report.durationMs / 1000 : wall) * 10) / 10,
        timeWaitAtStart: drained.timeWaitAtStart,
        waitedForTimeWaitS: drained.waitedS,
        gate: report
          ? report.gate.passed
            ? "PASS"
            : `FAIL (${report.gate.blocking.join(", ")})`
          : "no report",
        exitCode: done.code,
        slowest: report ? slowest(report) : [],
        verdicts: Object.fromEntries(
          (report?.requirements ?? [])
            .filter((r) => r.verdict !== "pass" && r.verdict !== "info")
            .map((r) => [r.id, r.verdict]),
        ),
      };
      timed.push(entry);
      // A faster suite must not judge differently: a run whose verdicts differ from the first run's keeps
      // its report (every case's evidence), so that the difference can be explained, not only counted.
      // So does a run over the time every target should take (issue 27), so that it can be explained.
      const first = timed[0];
      const why = [
        first && JSON.stringify(entry.verdicts) !== JSON.stringify(first.verdicts)
          ? "verdicts differ from run 1"
          : "",
        entry.durationS > SLOW_RUN_S ? `over ${SLOW_RUN_S} s` : "",
      ].filter(Boolean);
      if (why.length > 0) {
        entry.reportKept = dir;
        process.stderr.write(
          `${target.manifest} run ${run}: ${why.join(", ")}; its report is kept in ${dir}\n`,
        );
      } else {
        rmSync(dir, { recursive: true, force: true });
      }
      const waited =
        drained.waitedS > 0 ? ` (after ${drained.waitedS} s for TIME_WAIT connections to expire)` : "";
      process.stderr.write(
        `${target.manifest} run ${run}/${runs}${waited}: ${entry.durationS} s, gate ${entry.gate}; slowest ${entry.slowest
          .map((s) => `${s.id} ${s.s} s`)
          .join(", ")}\n`,
      );
    }
    results.push({ ...target, runs: timed });
  }
  const measured = {
    measuredAt: new Date().toISOString(),
    kit: kit === root ? "this checkout" : kit,
    host: { cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? "unknown", kernel: release() },
    runsPerTarget: runs,
    network: fresh
      ? "a network namespace of its own per run"
      : "the host's, once TIME_WAIT connections expired",
    targets: results,
  };
  const table = textTable(
    [
      "target",
      "shape",
      { header: "median s", align: "right" },
      { header: "runs s", align: "right" },
      "gate",
      "slowest checks (median run)",
    ],
    results.map((r) => {
      const durations = r.runs.map((x) => x.durationS);
      const mid = median(durations);
      const middle = r.runs.find((x) => x.durationS === mid) ?? r.runs[0];
      return [
        r.manifest.split("/").pop()?.replace(".json", "") ?? r.manifest,
        r.shape,
        mid.toFixed(1),
        durations.map((d) => d.toFixed(1)).join(", "),
        middle?.gate ?? "",
        (middle?.slowest ?? []).map((s) => `${s.id} ${s.s}`).join(", "),
      ];
    }),
  );
  process.stdout.write(`${table.join("\n")}\n`);
  writeFileSync(join(out, "suite-times.json"), `${JSON.stringify(measured, null, 2)}\n`);
  const previous = (() => {
    try {
      return readFileSync(join(out, "suite-times.md"), "utf8");
    } catch {
      return "";
    }
  })();
  const markdown = [
    "# How long the conformance suite takes",
    "",
    "Generated by `make suite-times` (scripts/suite-times.ts): the full suite against each target, one run",
    "after another on an otherwise idle host, none beside an earlier run's TCP connections in TIME_WAIT (a",
    "run leaves some 14,000 for a minute, which make every read of /proc/net/tcp slower):",
    fresh
      ? "each run in a network namespace of its own (run as root);"
      : `each run once they have expired (fewer than ${TIME_WAIT_QUIET});`,
    "the figures of every run are in suite-times.json. A",
    "timeout is an upper bound, not the price: a target that fails, never exits or never replaces a worker",
    "should not take much longer than one that passes.",
    "",
    `Measured ${measured.measuredAt.slice(0, 10)} on ${measured.host.cpus} CPUs (${measured.host.cpuModel}), kernel ${measured.host.kernel}, ${runs} run(s) per target.`,
    "",
    "```",
    ...table,
    "```",
    "",
  ].join("\n");
  if (markdown !== previous) writeFileSync(join(out, "suite-times.md"), markdown);
}

if (process.argv[1]?.endsWith("suite-times.ts")) await main();
