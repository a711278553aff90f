import { RuntimeError } from "../common/errors.ts";
import type { MemoryUse } from "../common/probes/proc-parse.ts";
import {
  cpuSecondsOf,
  hostCpuTicks,
  memoryOf,
  peakRssBytes,
  TICKS_PER_SECOND,
} from "../common/probes/procfs.ts";
import { establishedOn } from "../common/probes/sock-diag.ts";
import { median } from "../common/stats.ts";
import type { BenchOptions, FixedRateResult, RouteName, RunResult } from "../results/bench.ts";
import type { TargetDefinition } from "../targets/definition.ts";
import { routePath } from "../targets/definition.ts";
import { Instance, NotReadyError } from "../targets/instance.ts";
import { observeWorkers, snapshot } from "../targets/observe.ts";
import { servingPids } from "../targets/roles.ts";
import { runConstantRateSplit } from "./loaders/constant-rate-split.ts";
import type { Loader } from "./loaders/types.ts";
import { type Placement, pinSelf, tasksetPrefix } from "./placement.ts";

export interface PointPlan {
  manifest: TargetDefinition;
  workers: number;
  route: RouteName;
}

/** pid -> RSS, PSS and USS of each worker (or of the one serving process), in bytes. */
export type MemoryByPid = Record<string, MemoryUse>;

export interface MeasuredPoint {
  fixedRate: FixedRateResult[];
  memory: { atRest: MemoryByPid; afterLoad: MemoryByPid };
  path: string;
  startedPid: number;
  workerPids: number[];
  runs: RunResult[];
  firstLines: string[];
}

/**
 * Measures one point: a fresh instance, a warm-up that is not recorded, then
 * the measured runs with CPU, memory and connections read from /proc around
 * each. The instance is stopped as the SIGNAL checks stop it, and reaped.
 */
export async function measurePoint(
  plan: PointPlan,
  options: BenchOptions,
  loader: Loader,
  placement: Placement | null,
  onRun: (run: number) => void,
): Promise<MeasuredPoint> {
  const start = {
    workers: plan.workers,
    ...(placement ? { prefix: tasksetPrefix(placement.targetCpus) } : {}),
    ...(options.targetAddress ? { host: options.targetAddress } : {}),
  };
  const instance = await Instance.start(plan.manifest, start).catch((error: unknown) => {
    if (!(error instanceof NotReadyError)) throw error;
    const last = error.tail.filter((line) => line.trim() !== "").at(-1);
    throw new RuntimeError(
      `${plan.manifest.name} at ${plan.workers} worker(s): ${error.message}${last ? `; its last line: ${last.trim()}` : ""}`,
    );
  });
  try {
    // One worker is one process for most implementations: nothing to wait for below it.
    const { model } =
      plan.workers > 1 ? await observeWorkers(instance, plan.workers) : await snapshot(instance);
    const workerPids = model.workers;
    // The marginal cost of a worker is its private pages (USS); RSS counts what workers share.
    const memoryPids = workerPids.length > 0 ? workerPids : servingPids(model);
    const atRest = await memoryByPid(memoryPids.length > 0 ? memoryPids : [instance.pid]);
    const path = routePath(plan.manifest, plan.route, options.ioMs);
    const request = {
      url: `http://${instance.host.includes(":") ? `[${instance.host}]` : instance.host}:${instance.port}${path}`,
      connections: options.connections,
      pipelining: options.pipelining,
      threads: options.loaderThreads,
      cpus: placement?.loaderCpus,
    };
    if (options.warmupS > 0) await loader.run({ ...request, durationS: options.warmupS });
    // Every process of the launch costs CPU: launchers and helpers too.
    const serverPids = model.rows.length > 0 ? model.rows.map((row) => row.pid) : [instance.pid];
    const runs: RunResult[] = [];
    for (let i = 0; i < options.runs; i++) {
      onRun(i + 1);
      const cpuBefore = await cpuSecondsOf(serverPids);
      const hostBefore = await hostCpuTicks();
      // Counted once, at half of the run. Awaited after the run, not read as it stands then: a count
      // still under way when the run ended was read as 0 (in CI, after a test phase had left some 70,000
      // TIME_WAIT connections, when /proc/net/tcp was read whole).
      let midwayCount: Promise<number> | undefined;
      const midway = setTimeout(
        () => {
          midwayCount = establishedOn(instance.port);
        },
        (options.durationS * 1000) / 2,
      );
      const load = await loader.run({ ...request, durationS: options.durationS });
      clearTimeout(midway);
      const connectionsOpen = (await midwayCount) ?? 0;
      const cpuAfter = await cpuSecondsOf(serverPids);
      const hostAfter = await hostCpuTicks();
      let serverCpuSeconds = 0;
      for (const [pid, after] of cpuAfter) serverCpuSeconds += after - (cpuBefore.get(pid) ?? 0);
      const wall = load.durationS;
      const hostBusyCores =
        hostBefore && hostAfter
          ? (hostAfter.busyTicks - hostBefore.busyTicks) / TICKS_PER_SECOND / wall
          : Number.NaN;
      const peakRss: Record<string, number> = {};
      for (const pid of serverPids) {
        const bytes = await peakRssBytes(pid);
        if (bytes !== undefined) peakRss[String(pid)] = bytes;
      }
      runs.push({
        ...load,
        serverCpuSeconds,
        serverCores: serverCpuSeconds / wall,
        loaderCores: load.loaderCpuSeconds / wall,
        hostBusyCores,
        connectionsOpen,
        peakRssBytes: peakRss,
        // /proc counts CPU in clock ticks: under 10 of them the figure is not resolved to 10%.
        serverCpuUsPerRequest:
          load.requests > 0 && serverCpuSeconds >= 10 / TICKS_PER_SECOND
            ? (serverCpuSeconds * 1e6) / load.requests
            : null,
      });
    }
    const afterLoad = await memoryByPid(memoryPids.length > 0 ? memoryPids : [instance.pid]);
    const fixedRate = await measureFixedRates(instance.host, instance.port, path, runs, options, placement);
    return {
      path,
      startedPid: instance.pid,
      workerPids,
      runs,
      memory: { atRest, afterLoad },
      fixedRate,
      firstLines: instance.output().slice(0, 8),
    };
  } finally {
    await instance.stop("SIGTERM");
    await instance.dispose();
  }
}

async function memoryByPid(pids: readonly number[]): Promise<MemoryByPid> {
  const result: MemoryByPid = {};
  for (const pid of pids) {
    const use = await memoryOf(pid);
    if (use) result[String(pid)] = use;
  }
  return result;
}

/**
 * Latency at fixed fractions of the capacity just measured (the runs' median
 * RPS), with the kit's constant-rate client on the loader's CPUs: a short
 * unrecorded run at the same rate first (the client's JIT warms up too).
 */
async function measureFixedRates(
  host: string,
  port: number,
  path: string,
  runs: readonly RunResult[],
  options: BenchOptions,
  placement: Placement | null,
): Promise<FixedRateResult[]> {
  const capacity = median(runs.map((run) => run.rps));
  if (!(capacity > 0) || options.fixedRate.length === 0) return [];
  if (placement) await pinSelf(placement.loaderCpus);
  const results: FixedRateResult[] = [];
  for (const fraction of options.fixedRate) {
    const request = {
      host,
      port,
      path,
      ratePerS: Math.max(1, Math.round(capacity * fraction)),
      connections: options.connections,
    };
    // One thread per loader CPU (the loader threads where nothing is pinned): one schedule split between them.
    const threads = placement ? placement.loaderCpus.length : options.loaderThreads;
    const warmupS = Math.min(1, options.warmupS);
    if (warmupS > 0) await runConstantRateSplit({ ...request, durationS: warmupS }, threads);
    results.push({
      fraction,
      ...(await runConstantRateSplit({ ...request, durationS: options.durationS }, threads)),
    });
  }
  return results;
}
