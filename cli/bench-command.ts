import { join } from "node:path";
import { parseCli, renderHelp } from "../common/cli-options.ts";
import { slug } from "../common/paths.ts";
import { renderBenchTable } from "../reports/console/bench.ts";
import type { BenchResult, Point } from "../results/bench.ts";
import { formatInteger, pointLabel } from "../results/derive.ts";
import { runBench } from "../runners/bench.ts";
import { BENCH_DEFAULTS, resolveBenchOptions } from "../runners/options.ts";
import { aboutDuration, type BenchPlan, describePlan, secondsLeft } from "../runners/plan.ts";
import { whenInterrupted } from "./interrupt.ts";
import { progressLine, writeOutput } from "./output.ts";

/** "reference 2w root: 61,200 RPS, 14.9 µs CPU/request, limit server" */
function pointLine(point: Point): string {
  const cost = point.summary.cpuUsPerRequest;
  const failures = point.summary.failures > 0 ? `, ${point.summary.failures} failed` : "";
  return `${pointLabel(point, { target: true })}: ${formatInteger(point.summary.rps.median)} RPS${cost ? `, ${cost.median.toFixed(1)} µs CPU/request` : ""}, limit ${point.saturated}${failures}`;
}

export const BENCH_OPTIONS = {
  target: {
    type: "string",
    valueName: "manifest",
    description: "the implementation to measure",
    defaultText: "the reference",
  },
  workers: {
    type: "string",
    valueName: "list",
    description: "worker counts, or auto (1, 2, 4 ... up to twice the target's CPUs)",
    defaultText: BENCH_DEFAULTS.workers.join(","),
  },
  routes: {
    type: "string",
    valueName: "list",
    description: "routes of the manifest (io only where the manifest declares it)",
    defaultText: "root,json,io",
  },
  "io-ms": {
    type: "string",
    valueName: "ms",
    description: "how long each request to the io route waits",
    defaultText: String(BENCH_DEFAULTS.ioMs),
  },
  duration: {
    type: "string",
    valueName: "s",
    description: "seconds per measured run",
    defaultText: String(BENCH_DEFAULTS.durationS),
  },
  runs: {
    type: "string",
    valueName: "n",
    description: "measured runs per point",
    defaultText: String(BENCH_DEFAULTS.runs),
  },
  warmup: {
    type: "string",
    valueName: "s",
    description: "unrecorded warm-up per point",
    defaultText: String(BENCH_DEFAULTS.warmupS),
  },
  connections: {
    type: "string",
    valueName: "n",
    description: "keep-alive connections",
    defaultText: String(BENCH_DEFAULTS.connections),
  },
  pipelining: {
    type: "string",
    valueName: "n",
    description: "requests in flight per connection (autocannon)",
    defaultText: "1",
  },
  loader: {
    type: "string",
    valueName: "name",
    description: "auto, autocannon or wrk (auto: wrk where installed on Linux)",
    defaultText: "auto",
  },
  "loader-threads": {
    type: "string",
    valueName: "n",
    description: "load-generator threads",
    defaultText: "1",
  },
  baseline: {
    type: "string",
    valueName: "manifest",
    description: "measured at 1 worker in the same run ('none' to skip)",
    defaultText: "bare node:http for the reference",
  },
  cpus: {
    type: "string",
    valueName: "sets",
    description: "CPUs of each side, like loader=0,target=1-3",
    defaultText: "loader on the first CPU(s), target on the rest",
  },
  "no-pin": { type: "boolean", description: "let loader and target share every CPU" },
  "load-host": {
    type: "string",
    valueName: "user@host[:port]",
    description: "run wrk on this host over ssh (BatchMode, your keys and ssh config) instead of here",
    multiple: true,
  },
  "ssh-option": {
    type: "string",
    valueName: "option",
    description: "passed to ssh as -o option, e.g. IdentityFile=~/.ssh/bench",
    multiple: true,
  },
  "target-address": {
    type: "string",
    valueName: "address",
    description: "with --load-host: the address of this host the target listens on and the load hosts reach",
  },
  "allow-errors": { type: "boolean", description: "exit 0 even if measured points had failed requests" },
  "shutdown-runs": {
    type: "string",
    valueName: "n",
    description: "shutdowns measured per signal at the end, what each loses (0 to skip)",
    defaultText: String(BENCH_DEFAULTS.shutdownRuns),
  },
  "shutdown-rate": {
    type: "string",
    valueName: "n",
    description: "new connections per second across each shutdown",
    defaultText: String(BENCH_DEFAULTS.shutdownRatePerS),
  },
  "fixed-rate": {
    type: "string",
    valueName: "list",
    description: "per cents of each point's capacity for constant-rate latency ('none' to skip)",
    defaultText: BENCH_DEFAULTS.fixedRatePct.join(","),
  },
  quick: { type: "boolean", description: "1 s runs, one run, no warm-up (smoke tests; figures mean little)" },
  out: {
    type: "string",
    valueName: "dir",
    description: "where to write the JSON",
    defaultText: "out/bench",
  },
  json: { type: "boolean", description: "print the JSON result on stdout instead of the table" },
  help: { type: "boolean", short: "h", description: "show this help" },
} as const;

const SUMMARY = `Measures requests per second and latency at each worker count, with the CPU of
server and client, and flags every figure that is not the server's capacity.`;

export async function benchCommand(argv: readonly string[], version: string): Promise<number> {
  const { values } = parseCli(BENCH_OPTIONS, argv);
  if (values.help) {
    process.stdout.write(renderHelp("bustbench bench [options]", SUMMARY, BENCH_OPTIONS));
    return 0;
  }
  const options = resolveBenchOptions({
    target: values.target,
    baseline: values.baseline,
    workers: values.workers,
    routes: values.routes,
    ioMs: values["io-ms"],
    durationS: values.duration,
    runs: values.runs,
    warmupS: values.warmup,
    connections: values.connections,
    pipelining: values.pipelining,
    loader: values.loader,
    loaderThreads: values["loader-threads"],
    quick: values.quick,
    cpus: values.cpus,
    noPin: values["no-pin"],
    allowErrors: values["allow-errors"],
    fixedRate: values["fixed-rate"],
    shutdownRuns: values["shutdown-runs"],
    shutdownRate: values["shutdown-rate"],
    loadHosts: values["load-host"],
    sshOptions: values["ssh-option"],
    targetAddress: values["target-address"],
  });
  const progress = progressLine();
  const started = Date.now();
  let path: string | undefined;
  let latest: BenchResult | undefined;
  whenInterrupted(() => {
    progress.done();
    if (!latest || !path) return;
    writeOutput(path, `${JSON.stringify({ ...latest, complete: false }, null, 2)}\n`);
    process.stderr.write(`partial result (${latest.points.length} point(s), "complete": false): ${path}\n`);
  });
  const stamp = new Date()
    .toISOString()
    .replace(/[:.]/g, "-")
    .replace(/-\d{3}Z$/, "Z");
  let plan: BenchPlan | undefined;
  let pointsDone = 0;
  let shutdownRunsDone = 0;
  const left = () =>
    plan ? aboutDuration(secondsLeft(plan, pointsDone, (Date.now() - started) / 1000, shutdownRunsDone)) : "";
  const result = await runBench(options, version, {
    onPlan: (planned) => {
      plan = planned;
      process.stderr.write(`${describePlan(planned).join("\n")}\n`);
    },
    onRun: (p) =>
      progress.update(
        `point ${p.point} of ${p.points}: ${pointLabel(p, { target: true })}, run ${p.run} of ${p.runs}; ${left()} left`,
      ),
    onShutdownRun: (signal, run, runs) => {
      shutdownRunsDone = run - 1 + (signal === "SIGINT" ? runs : 0);
      progress.update(`what a shutdown loses: ${signal}, run ${run} of ${runs}; ${left()} left`);
    },
    // Written as the run goes: an interrupted run still leaves its points, marked incomplete.
    onPoint: (partial) => {
      latest = partial;
      path = writeOutput(
        join(values.out ?? join("out", "bench"), `${stamp}-${slug(partial.target.name)}.json`),
        `${JSON.stringify(partial, null, 2)}\n`,
      );
      const point = partial.points.at(-1);
      if (partial.shutdownLoss) {
        progress.milestone(`what a shutdown loses: ${partial.shutdownLoss.runs.length} run(s) done`);
        return;
      }
      pointsDone = partial.points.length + (partial.failedPoints?.length ?? 0);
      if (point)
        progress.milestone(
          `point ${pointsDone} of ${plan?.points.length ?? "?"} done: ${pointLine(point)}; ${left()} left`,
        );
    },
  });
  progress.done();
  path = writeOutput(
    join(values.out ?? join("out", "bench"), `${stamp}-${slug(result.target.name)}.json`),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(renderBenchTable(result, { json: path }));
  const unmeasured = result.failedPoints ?? [];
  if (unmeasured.length > 0) {
    process.stderr.write(
      `error: ${unmeasured.length} point(s) could not be measured: ${unmeasured.map((p) => `${pointLabel(p)}: ${p.reason}`).join("; ")}\n`,
    );
    return 1;
  }
  const failed = result.points.filter((point) => point.summary.failures > 0);
  if (failed.length > 0 && !options.allowErrors) {
    process.stderr.write(
      `error: ${failed.length} point(s) had failed requests (${failed.map(pointLine).join("; ")}): see the errors flag; --allow-errors to accept\n`,
    );
    return 1;
  }
  return 0;
}
