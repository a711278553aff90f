import { type AddressInfo, createServer } from "node:net";
import { availableParallelism } from "node:os";
import { formatCpuList } from "../common/cpu-list.ts";
import { RuntimeError, UsageError } from "../common/errors.ts";
import { runProcess } from "../common/run-process.ts";
import type { BenchOptions, LoaderName, LoadHostInfo, RouteName, ShutdownLossRun } from "../results/bench.ts";
import { BENCH_SCHEMA_VERSION, type BenchResult, type Point, type PointRole } from "../results/bench.ts";
import { overheadGoals, scalingGoals } from "../results/goals.ts";
import { recommendWorkers } from "../results/recommend.ts";
import type { TargetDefinition } from "../targets/definition.ts";
import { Instance } from "../targets/instance.ts";
import { BARE_MANIFEST, REFERENCE_MANIFEST } from "../targets/known.ts";
import { loadManifest, type Manifest } from "../targets/manifest.ts";
import { observeWorkers } from "../targets/observe.ts";
import { measureShutdownLoss } from "../targets/shutdown-loss.ts";
import { GUARD_THRESHOLDS, guard } from "./guards.ts";
import { describeHost } from "./host.ts";
import { parseLoadHost } from "./load-host.ts";
import { autocannonLoader } from "./loaders/autocannon.ts";
import { hostSaturated, probeLoadHost, remoteWrkLoader } from "./loaders/remote-wrk.ts";
import type { Loader } from "./loaders/types.ts";
import { wrkLoader } from "./loaders/wrk.ts";
import { measurePoint } from "./measure-point.ts";
import {
  availableCpus,
  defaultPlacement,
  type Placement,
  parsePlacement,
  pinSelf,
  tasksetPrefix,
} from "./placement.ts";
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

interface PlannedPoint {
  role: PointRole;
  manifest: Manifest;
  workers: number;
  route: RouteName;
}

/** Pure: the order of the points. The baseline runs right after the target's 1-worker points, on the same host state. */
export function planPoints(
  options: BenchOptions,
  target: Manifest,
  baseline: Manifest | null,
): PlannedPoint[] {
  const plan: PlannedPoint[] = [];
  for (const workers of options.workers) {
    for (const route of options.routes) plan.push({ role: "target", manifest: target, workers, route });
    if (workers === options.workers[0] && baseline) {
      // The baseline is measured on the CPU-bound routes it declares (bare node:http has no io).
      for (const route of options.routes.filter((r) => r !== "io" && declares(baseline, r)))
        plan.push({ role: "baseline", manifest: baseline, workers: 1, route });
    }
  }
  return plan;
}

function declares(manifest: TargetDefinition, route: RouteName): boolean {
  return manifest.routes[route] !== undefined;
}

/**
 * The routes to measure on this target: as given, or by default every route it declares. A route
 * asked for by name that the manifest lacks is a usage error.
 */
export function routesFor(options: BenchOptions, target: TargetDefinition): RouteName[] {
  const missing = options.routes.filter((route) => !declares(target, route));
  if (options.routesGiven && missing.length > 0) {
    throw new UsageError(
      `${target.name} declares no ${missing.join(", ")} route: add "${missing[0]}" to the manifest's routes, or leave it out of --routes`,
    );
  }
  return options.routes.filter((route) => declares(target, route));
}

/** The CPU-bound routes: what the overhead and scaling goals are about. */
const cpuRoutes = (routes: readonly RouteName[]) => routes.filter((route) => route !== "io");

/** Runs the benchmark and returns its result; it measures and reports progress, and never prints. */
export async function runBench(
  options: BenchOptions,
  kitVersion: string,
  events: BenchEvents = {},
): Promise<BenchResult> {
  const targetPath = options.target ?? REFERENCE_MANIFEST;
  const target = loadManifest(targetPath);
  const baselinePath =
    options.baseline === undefined
      ? targetPath === REFERENCE_MANIFEST
        ? BARE_MANIFEST
        : null
      : options.baseline;
  const baseline = baselinePath ? loadManifest(baselinePath) : null;
  options.routes = routesFor(options, target);
  const remote = options.loadHosts.length > 0 ? await prepareLoadHosts(options) : null;
  const [loader, placement] = remote
    ? [remote.loader, null]
    : await Promise.all([chooseLoader(options), choosePlacement(options)]);
  const [host, loaderVersion] = await Promise.all([describeHost(), loader.version()]);
  const result: BenchResult = {
    schemaVersion: BENCH_SCHEMA_VERSION,
    kind: "bench",
    kitVersion,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    complete: false,
    target: { name: target.name, manifest: target.path, command: target.command, versionLine: null },
    baseline: baseline ? { name: baseline.name, manifest: baseline.path } : null,
    options,
    host,
    loader: {
      name: loader.name,
      version: loaderVersion,
      threads: options.loaderThreads,
      pipelining: options.pipelining,
    },
    guardThresholds: { ...GUARD_THRESHOLDS },
    points: [],
    goals: { overhead: [], scaling: [] },
    ...(remote ? { loadHosts: remote.infos, failedPoints: [] } : {}),
  };
  // The CPUs the target may use: its pinned set, the whole host under load from elsewhere, or the host's less the loader's threads.
  const targetCpus = placement
    ? placement.targetCpus.length
    : remote
      ? availableParallelism()
      : Math.max(1, availableParallelism() - options.loaderThreads);
  if (options.workersAuto) {
    // 1, 2, 4 ... up to twice the target's CPUs: where "match CPU cores" and "2x cores" can both be seen.
    options.workers = [];
    for (let n = 1; n <= 2 * targetCpus; n *= 2) options.workers.push(n);
    result.options = options;
  }
  const plan = planPoints(options, target, baseline);
  for (const [index, planned] of plan.entries()) {
    const measure = () =>
      measurePoint(planned, options, loader, placement, (run) =>
        events.onRun?.({
          point: index + 1,
          points: plan.length,
          role: planned.role,
          targetName: planned.manifest.name,
          workers: planned.workers,
          route: planned.route,
          run,
          runs: options.runs,
        }),
      );
    let measured: Awaited<ReturnType<typeof measurePoint>>;
    try {
      measured = await measure();
    } catch (error) {
      // A load host that failed (unreachable, wrk killed, ssh cut) fails this point, not the run:
      // the target was stopped by measurePoint, and the other points may still be measured.
      if (!remote || !(error instanceof RuntimeError)) throw error;
      result.failedPoints?.push({
        role: planned.role,
        workers: planned.workers,
        route: planned.route,
        reason: error.message,
      });
      events.onPoint?.(result);
      continue;
    }
    if (planned.role === "target" && result.target.versionLine === null) {
      const line = measured.firstLines.find((text) => /\bv?\d+\.\d+\.\d+/.test(text));
      // Banner boxes draw with box characters: keep the words.
      result.target.versionLine = line?.replace(/[\u2500-\u257f]/g, "").trim() ?? null;
    }
    const summary = {
      ...summariseRuns(measured.runs, measured.workerPids, measured.startedPid),
      ussPerWorkerBytes: {
        atRest: largestUss(measured.memory.atRest),
        afterLoad: largestUss(measured.memory.afterLoad),
      },
    };
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
    const point: Point = {
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
    result.points.push(point);
    result.goals = {
      overhead: overheadGoals(result.points, cpuRoutes(options.routes)),
      scaling: scalingGoals(result.points, cpuRoutes(options.routes), targetCpus),
    };
    result.recommendations = recommendWorkers(result.points, options.routes, targetCpus, {
      connections: loadConnections(options),
      waitMs: options.ioMs,
    });
    events.onPoint?.(result);
  }
  if (options.shutdownRuns > 0) {
    result.shutdownLoss = await measureShutdowns(target, options, placement, events);
    events.onPoint?.(result);
  }
  result.complete = true;
  result.finishedAt = new Date().toISOString();
  return result;
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
  target: Manifest,
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
        runs.push(
          await measureShutdownLoss(instance, instance.host, target.readyPath, {
            signal,
            ratePerS: options.shutdownRatePerS,
            durationMs: 1_500,
            signalAtMs: 1_000,
          }),
        );
      } finally {
        await instance.dispose();
      }
    }
  }
  return { workers, ratePerS: options.shutdownRatePerS, runs };
}
