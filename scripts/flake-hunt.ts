/**
 * Runs the tests of `make test` again and again and records which test failed how often, with its first
 * failure line: how a test that depends on the host's speed is found (a test that fails one time in five
 * passes most single runs). With --hogs a CPU hog runs on every core for the whole of every run, not only
 * beside the fixture and mutant tests as make test does.
 *
 *   node scripts/flake-hunt.ts --runs 5 [--hogs] [--out DIR]
 *
 * Writes DIR/runs.json (every run: its duration, exit code and failed tests) after each run, and prints one
 * line per run and a table at the end. Exit code 0 when every run passed, 1 otherwise, 2 on bad options.
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { makeDir } from "../common/make-dir.ts";
import { kitRoot } from "../common/paths.ts";

interface Failure {
  phase: string;
  file: string;
  test: string;
  message: string;
}

interface HuntRun {
  run: number;
  hogs: boolean;
  startedAt: string;
  durationS: number;
  exitCode: number;
  failures: Failure[];
}

interface VitestJson {
  testResults?: Array<{
    name: string;
    message?: string;
    assertionResults?: Array<{ fullName: string; status: string; failureMessages?: string[] }>;
  }>;
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** The failed tests of one phase's vitest JSON report (a file that failed to load counts as one failure). */
export function failuresOf(phase: string, report: VitestJson, root: string): Failure[] {
  const failures: Failure[] = [];
  for (const file of report.testResults ?? []) {
    const name = file.name.startsWith(root) ? file.name.slice(root.length + 1) : file.name;
    const failed = (file.assertionResults ?? []).filter((a) => a.status === "failed");
    for (const a of failed) {
      const first = (a.failureMessages?.[0] ?? "").replace(ANSI, "").trim().split("\n");
      failures.push({ phase, file: name, test: a.fullName, message: first.slice(0, 12).join(" | ") });
    }
    if (failed.length === 0 && file.message)
      failures.push({ phase, file: name, test: "(file)", message: file.message.split("\n")[0] ?? "" });
  }
  return failures;
}

function usage(message: string): never {
  process.stderr.write(
    `error: ${message}\nusage: node scripts/flake-hunt.ts --runs N [--hogs] [--out DIR]\n`,
  );
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { runs?: string; hogs?: boolean; out?: string };
  try {
    ({ values } = parseArgs({
      options: { runs: { type: "string" }, hogs: { type: "boolean" }, out: { type: "string" } },
    }));
  } catch (error) {
    usage((error as Error).message);
  }
  const runs = Number(values.runs ?? "3");
  if (!Number.isInteger(runs) || runs < 1)
    usage(`--runs must be a whole number from 1, got '${values.runs}'`);
  const root = kitRoot();
  const out = values.out ?? join(tmpdir(), `bustbench-flake-hunt-${Date.now()}`);
  try {
    makeDir(out);
  } catch (error) {
    usage(`--out ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const hunt: HuntRun[] = [];
  // The build and installs once, as make test does before its phases.
  const prepared = spawnSync(
    "make",
    ["--no-print-directory", "install", "build", "wrk", "chromium", "sshd"],
    {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  if (prepared.status !== 0) usage("make install build failed");
  for (let run = 1; run <= runs; run++) {
    const dir = join(out, `run-${run}`);
    makeDir(dir);
    const hogs = values.hogs
      ? Array.from({ length: availableParallelism() }, () =>
          spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore", env: { BUSTBENCH_HOG: "1" } }),
        )
      : [];
    const started = Date.now();
    const exitCode = await new Promise<number>((resolve) => {
      const child = spawn("make", ["--no-print-directory", "test-phases", `VITEST_REPORT=${dir}`], {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const log: Buffer[] = [];
      child.stdout.on("data", (chunk: Buffer) => log.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => log.push(chunk));
      child.on("close", (code) => {
        writeFileSync(join(dir, "output.log"), Buffer.concat(log));
        resolve(code ?? 1);
      });
    });
    for (const hog of hogs) hog.kill("SIGKILL");
    const failures = readdirSync(dir)
      .filter((name) => name.endsWith(".json"))
      .flatMap((name) => {
        const report = JSON.parse(readFileSync(join(dir, name), "utf8")) as VitestJson;
        return failuresOf(name.replace(/\.json$/, ""), report, root);
      });
    if (exitCode !== 0 && failures.length === 0)
      failures.push({ phase: "make", file: "-", test: "(no report)", message: `exit code ${exitCode}` });
    hunt.push({
      run,
      hogs: Boolean(values.hogs),
      startedAt: new Date(started).toISOString(),
      durationS: Math.round((Date.now() - started) / 1000),
      exitCode,
      failures,
    });
    writeFileSync(join(out, "runs.json"), `${JSON.stringify(hunt, null, 2)}\n`);
    const last = hunt[hunt.length - 1] as HuntRun;
    process.stderr.write(
      `run ${run} of ${runs}: ${last.exitCode === 0 ? "passed" : `FAILED (${failures.length})`} in ${last.durationS} s${
        failures.length ? `: ${failures.map((f) => f.test).join("; ")}` : ""
      }\n`,
    );
  }
  const byTest = new Map<string, { count: number; messages: string[] }>();
  for (const failure of hunt.flatMap((r) => r.failures)) {
    const key = `${failure.file} > ${failure.test}`;
    const entry = byTest.get(key) ?? { count: 0, messages: [] };
    entry.count++;
    entry.messages.push(failure.message);
    byTest.set(key, entry);
  }
  process.stdout.write(`\n${hunt.filter((r) => r.exitCode === 0).length} of ${runs} runs passed (${out})\n`);
  for (const [key, { count, messages }] of [...byTest].sort((a, b) => b[1].count - a[1].count)) {
    process.stdout.write(`  ${count}/${runs}  ${key}\n        ${messages[0]?.slice(0, 300)}\n`);
  }
  process.exitCode = hunt.every((r) => r.exitCode === 0) ? 0 : 1;
}

if (process.argv[1]?.endsWith("flake-hunt.ts")) await main();
