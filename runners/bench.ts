import { type AddressInfo, createServer } from "node:net";
import { availableParallelism } from "node:os";
import { formatCpuList } from "../common/cpu-list.ts";
import { RuntimeError } from "../common/errors.ts";
import { runProcess } from "../common/run-process.ts";
import type {
  BenchOptions,
  HostInfo,
  LoaderName,
  LoadHostInfo,
  RouteName,
  ShutdownLossRun,
} from "../results/bench.ts";
import { BENCH_SCHEMA_VERSION, type BenchResult, type Point, type PointRole } from "../results/bench.ts";
import { overheadGoals, scalingGoals } from "../results/goals.ts";
import { recommendWorkers } from "../results/recommend.ts";
import type { TargetDefinition } from "../targets/definition.ts";
import { Instance } from "../targets/instance.ts";
import { BARE_MANIFEST, REFERENCE_MANIFEST } from "../targets/known.ts";
import { loadManifest } from "../targets/manifest.ts";
import { observeWorkers } from "../targets/observe.ts";
import { measureShutdownLoss } from "../targets/shutdown-loss.ts";
import { GUARD_THRESHOLDS, guard } from "./guards.ts";
import { describeHost } from "./host.ts";
import { parseLoadHost } from "./load-host.ts";
import { autocannonLoader } from "./loaders/autocannon.ts";
import { hostSaturated, probeLoadHost, remoteWrkLoader } from "./loaders/remote-wrk.ts";
import type { Loader } from "./loaders/types.ts";
import { wrkLoader } from "./loaders/wrk.ts";
import { type MeasuredPoint, measurePoint } from "./measure-point.ts";
import {
  availableCpus,
  defaultPlacement,
  type Placement,
  parsePlacement,
  pinSelf,
  tasksetPrefix,
} from "./placement.ts";
import { type BenchPlan, type PlannedPoint, planBench } from "./plan.ts";
import { summariseRuns } from "./summary.ts";

export interface Progress {
  point: number;
  points: number;
  role: PointRole;
  targetName: string;
  workers: number;
  route: RouteName;
  run: number;
  runs: number;
}

export interface BenchEvents {
  /** Once, before anything is measured: what the run will do and how long it should take. */
  onPlan?(plan: BenchPlan): void;
  /** Before each shutdown-loss run. */
  onShutdownRun?(signal: NodeJS.Signals, run: number, runs: number): void;
  /** Before each measured run. */
  onRun?(progress: Progress): void;
  /** After each point, with the result so far (complete: false until the end). */
  onPoint?(partial: BenchResult): void;
}

const LOADERS: Record<LoaderName, Loader> = { autocannon: autocannonLoader, wrk: wrkLoader };

/** `auto`: wrk where it is installed on Linux and no pipelining is asked (it has none), else autocannon. */
async function chooseLoader(options: BenchOptions): Promise<Loader> {
  if (options.loader !== "auto") return LOADERS[options.loader];
  if (process.platform !== "linux" || options.pipelining > 1) return autocannonLoader;
  return (await wrkLoader.version().then(
    () => true,
    () => false,
  ))
    ? wrkLoader
    : autocannonLoader;
}

/** The CPU sets of loader and target (see placement.ts), or null when they share the host. */
async function choosePlacement(options: BenchOptions): Promise<Placement | null> {
  if (options.cpus === null || process.platform !== "linux") return null;
  const available = availableCpus();
  const placement =
    options.cpus === "auto"
      ? defaultPlacement(available, options.loaderThreads)
      : parsePlacement(options.cpus, available);
  if (placement) {
    const probe = await runProcess("taskset", ["-c", formatCpuList(placement.targetCpus), "true"]).catch(
      () => undefined,
    );
    if (probe?.code !== 0) {
      throw new RuntimeError("cannot pin with taskset (util-linux): install it, or run with --no-pin");
    }
  }
  return placement;
}

/** The CPU-bound routes: what the overhead and scaling goals are about. */
const cpuRoutes = (routes: readonly RouteName[]) => routes.filter((route) => route !== "io");

/** The kit's own targets, or the manifests the options name. */
function loadTargets(options: BenchOptions): { target: TargetDefinition; baseline: TargetDefinition | null } {
  const targetPath = options.target ?? REFERENCE_MANIFEST;
  const baselinePath =
    options.baseline === undefined
      ? targetPath === REFERENCE_MANIFEST
        ? BARE_MANIFEST
        : null
      : options.baseline;
  return { target: loadManifest(targetPath), baseline: baselinePath ? loadManifest(baselinePath) : null };
}

/** What a run needs before it measures: the loader, where each side runs, the load hosts, the host. */
interface Prepared {
  loader: Loader;
  loaderVersion: string;
  placement: Placement | null;
  remote: { loader: Loader; infos: LoadHostInfo[] } | null;
  host: HostInfo;
  targetCpus: number;
}

async function prepare(options: BenchOptions): Promise<Prepared> {
  const remote = options.loadHosts.length > 0 ? await prepareLoadHosts(options) : null;
  const [loader, placement] = remote
    ? [remote.loader, null]
    : await Promise.all([chooseLoader(options), choosePlacement(options)]);
  const [host, loaderVersion] = await Promise.all([describeHost(), loader.version()]);
  const targetCpus = placement
    ? placement.targetCpus.length
    : remote
      ? availableParallelism()
      : Math.max(1, availableParallelism() - options.loaderThreads);
  return { loader, loaderVersion, placement, remote, host, targetCpus };
}

/** Pure: a measured point with its summary, flags and the side that ran out of CPU. */
function assemblePoint(
  planned: PlannedPoint,
  measured: MeasuredPoint,
  options: BenchOptions,
  prepared: Prepared,
): Point {
  const summary = {
    ...summariseRuns(measured.runs, measured.workerPids, measured.startedPid),
    ussPerWorkerBytes: {
      atRest: largestUss(measured.memory.atRest),
      afterLoad: largestUss(measured.memory.afterLoad),
    },
  };
  const { placement, remote } = prepared;
  const { flags, saturated } = guard({
    remoteLoad: remote
      ? {
          // Client-bound when any load host ran out of CPU in most runs.
          saturated:
            measured.runs.filter((run) =>
              (run.hosts ?? []).some((h) =>
                hostSaturated(h, options.loaderThreads, GUARD_THRESHOLDS.loaderShare),
              ),
            ).length *
              2 >
            measured.runs.length,
        }
      : null,
    logicalCpus: availableParallelism(),
    placement: placement
      ? { loaderCpus: placement.loaderCpus.length, targetCpus: placement.targetCpus.length }
      : null,
    workers: Math.max(1, measured.workerPids.length),
    loaderThreads: options.loaderThreads,
    loaderCores: summary.loaderCores,
    serverCores: summary.serverCores,
    hostBusyCores: summary.hostBusyCores,
    failures: summary.failures,
    cv: summary.rps.cv ?? Number.NaN,
    rps: summary.rps.median,
    concurrencyCapRps:
      planned.route === "io" && options.ioMs > 0 ? (loadConnections(options) * 1000) / options.ioMs : null,
  });
  return {
    role: planned.role,
    targetName: planned.manifest.name,
    workers: planned.workers,
    route: planned.route,
    path: measured.path,
    workerPids: measured.workerPids,
    startedPid: measured.startedPid,
    runs: measured.runs,
    summary,
    memory: measured.memory,
    fixedRate: measured.fixedRate,
    placement,
    flags,
    saturated,
  };
}

/** Pure: the result with a point added, its goals and recommendations derived again from all points. */
function assemble(
  result: BenchResult,
  point: Point,
  plan: BenchPlan,
  firstLines: readonly string[],
): BenchResult {
  const points = [...result.points, point];
  const routes = cpuRoutes(plan.options.routes);
  return {
    ...result,
    target: {
      ...result.target,
      // The first line that looks like a version, from the target's first point (banner boxes drawn with box characters dropped).
      versionLine:
        result.target.versionLine ?? (point.role === "target" ? (versionLineOf(firstLines) ?? null) : null),
    },
    points,
    goals: {
      overhead: overheadGoals(points, routes),
      scaling: scalingGoals(points, routes, plan.targetCpus),
    },
    recommendations: recommendWorkers(points, plan.options.routes, plan.targetCpus, {
      connections: loadConnections(plan.options),
      waitMs: plan.options.ioMs,
    }),
  };
}

function versionLineOf(firstLines: readonly string[]): string | undefined {
  const line = firstLines.find((text) => /\bv?\d+\.\d+\.\d+/.test(text));
  return line?.replace(/[\u2500-\u257f]/g, "").trim();
}

/**
 * Runs the benchmark as a pipeline: plan (what to measure, from options never modified), prepare
 * (loader, placement, load hosts, host), measure (each point), assemble (summaries, flags, goals,
 * recommendations). It reports progress through `events` and never prints.
 */
export async function runBench(
  given: BenchOptions,
  kitVersion: string,
  events: BenchEvents = {},
): Promise<BenchResult> {
  const { target, baseline } = loadTargets(given);
  const prepared = await prepare(given);
  const plan = planBench(given, target, baseline, prepared.targetCpus);
  const { options } = plan;
  events.onPlan?.(plan);
  let result: BenchResult = {
    schemaVersion: BENCH_SCHEMA_VERSION,
    kind: "bench",
    kitVersion,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    complete: false,
    target: { name: target.name, manifest: target.path, command: target.command, versionLine: null },
    baseline: baseline ? { name: baseline.name, manifest: baseline.path } : null,
    options,
    host: prepared.host,
    loader: {
      name: prepared.loader.name,
      version: prepared.loaderVersion,
      threads: options.loaderThreads,
      pipelining: options.pipelining,
    },
    guardThresholds: { ...GUARD_THRESHOLDS },
    points: [],
    goals: { overhead: [], scaling: [] },
    ...(prepared.remote ? { loadHosts: prepared.remote.infos, failedPoints: [] } : {}),
  };
  for (const [index, planned] of plan.points.entries()) {
    const progress = {
      point: index + 1,
      points: plan.points.length,
      role: planned.role,
      targetName: planned.manifest.name,
      workers: planned.workers,
      route: planned.route,
      runs: options.runs,
    };
    let measured: MeasuredPoint;
    try {
      measured = await measurePoint(planned, options, prepared.loader, prepared.placement, (run) =>
        events.onRun?.({ ...progress, run }),
      );
    } catch (error) {
      // A load host that failed (unreachable, wrk killed, ssh cut) fails this point, not the run:
      // the target was stopped by measurePoint, and the other points may still be measured.
      if (!prepared.remote || !(error instanceof RuntimeError)) throw error;
      result = {
        ...result,
        failedPoints: [
          ...(result.failedPoints ?? []),
          { role: planned.role, workers: planned.workers, route: planned.route, reason: error.message },
        ],
      };
      events.onPoint?.(result);
      continue;
    }
    const point = assemblePoint(planned, measured, options, prepared);
    result = assemble(result, point, plan, measured.firstLines);
    events.onPoint?.(result);
  }
  if (options.shutdownRuns > 0) {
    result = { ...result, shutdownLoss: await measureShutdowns(target, options, prepared.placement, events) };
    events.onPoint?.(result);
  }
  return { ...result, complete: true, finishedAt: new Date().toISOString() };
}

/** Requests the load keeps in flight: per load host when the load comes from other hosts. */
function loadConnections(options: BenchOptions): number {
  return options.connections * options.pipelining * Math.max(1, options.loadHosts.length);
}

/**
 * Load from other hosts: each is checked over ssh before anything is measured
 * (reachable, wrk installed, its CPU and kernel), with its round-trip time and
 * route to the target's address, measured against a listener opened there.
 */
async function prepareLoadHosts(options: BenchOptions): Promise<{ loader: Loader; infos: LoadHostInfo[] }> {
  const address = options.targetAddress as string;
  const hosts = options.loadHosts.map(parseLoadHost);
  const listener = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    listener.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new RuntimeError(`cannot listen on --target-address ${address}: ${error.code ?? error.message}`),
      ),
    );
    listener.listen({ host: address, port: 0 }, resolve);
  });
  try {
    const port = (listener.address() as AddressInfo).port;
    const infos = await Promise.all(
      hosts.map((h) => probeLoadHost(h, options.sshOptions, { address, port })),
    );
    return { loader: remoteWrkLoader(hosts, options.sshOptions, infos), infos };
  } finally {
    listener.close();
  }
}

function largestUss(memory: Record<string, { ussBytes: number }>): number | null {
  const values = Object.values(memory).map((use) => use.ussBytes);
  return values.length > 0 ? Math.max(...values) : null;
}

/**
 * What a shutdown of the target loses (SIGNAL-6's measurement, repeated): at 2
 * workers (or the one count measured), fresh connections at a fixed rate across
 * SIGTERM, then across SIGINT, `shutdownRuns` times each, every run reported.
 */
async function measureShutdowns(
  target: TargetDefinition,
  options: BenchOptions,
  placement: Placement | null,
  events: BenchEvents,
): Promise<NonNullable<BenchResult["shutdownLoss"]>> {
  const workers = options.workers.includes(2) ? 2 : (options.workers[0] ?? 1);
  const runs: ShutdownLossRun[] = [];
  if (placement) await pinSelf(placement.loaderCpus);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    for (let i = 0; i < options.shutdownRuns; i++) {
      events.onShutdownRun?.(signal, i + 1, options.shutdownRuns);
      const start = {
        workers,
        ...(placement ? { prefix: tasksetPrefix(placement.targetCpus) } : {}),
        ...(options.targetAddress ? { host: options.targetAddress } : {}),
      };
      const instance = await Instance.start(target, start);
      try {
        if (workers > 1) await observeWorkers(instance, workers);
        const { run } = await measureShutdownLoss(instance, instance.host, target.readyPath, {
          signal,
          ratePerS: options.shutdownRatePerS,
          signalAtMs: 1_000,
          endAfterMs: 200,
        });
        runs.push(run);
      } finally {
        await instance.dispose();
      }
    }
  }
  return { workers, ratePerS: options.shutdownRatePerS, runs };
}
