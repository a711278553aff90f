import { wholeNumber } from "../common/cli-options.ts";
import { UsageError } from "../common/errors.ts";
import { type BenchOptions, type LoaderChoice, ROUTE_NAMES, type RouteName } from "../results/bench.ts";
import { isIpLiteral, parseLoadHost } from "./load-host.ts";

/** The raw values, as flags or Make variables give them. */
export interface RawBenchOptions {
  target?: string | undefined;
  baseline?: string | undefined;
  workers?: string | undefined;
  routes?: string | undefined;
  ioMs?: string | undefined;
  durationS?: string | undefined;
  runs?: string | undefined;
  warmupS?: string | undefined;
  connections?: string | undefined;
  pipelining?: string | undefined;
  loader?: string | undefined;
  loaderThreads?: string | undefined;
  quick?: boolean | undefined;
  cpus?: string | undefined;
  noPin?: boolean | undefined;
  allowErrors?: boolean | undefined;
  fixedRate?: string | undefined;
  shutdownRuns?: string | undefined;
  shutdownRate?: string | undefined;
  loadHosts?: string[] | undefined;
  sshOptions?: string[] | undefined;
  targetAddress?: string | undefined;
}

/** Defaults: 10 points (8 target + 2 baseline) of 2 s warm-up + 3 x 6 s finish in about 4 minutes. */
export const BENCH_DEFAULTS = {
  workers: [1, 2, 4, 8],
  routes: ["root", "json", "io"] as RouteName[],
  /** 10 ms: a quick database query; 50 connections then cap a closed loop at 5,000 RPS. */
  ioMs: 10,
  durationS: 6,
  runs: 3,
  warmupS: 2,
  connections: 50,
  pipelining: 1,
  loader: "auto" as LoaderChoice,
  loaderThreads: 1,
  /** Per cent of each point's capacity for the constant-rate latency runs. */
  fixedRatePct: [50, 90],
  /** What a shutdown loses: runs per signal, and the rate of fresh connections across each. */
  shutdownRuns: 5,
  shutdownRatePerS: 5_000,
} as const;

/** QUICK=1: for tests and smoke runs; numbers from it mean little. */
export const QUICK = { durationS: 1, runs: 1, warmupS: 0, shutdownRuns: 1 } as const;

export function resolveBenchOptions(raw: RawBenchOptions): BenchOptions {
  const quick = raw.quick ?? false;
  const int = wholeNumber;
  const workersAuto = raw.workers?.trim() === "auto";
  const workers = list(
    "--workers",
    workersAuto ? undefined : raw.workers,
    BENCH_DEFAULTS.workers.map(String),
  ).map((w) => {
    if (!/^\d+$/.test(w) || Number(w) < 1 || Number(w) > 512) {
      throw new UsageError(
        `--workers must be 'auto' or a comma-separated list of worker counts from 1 to 512, got '${raw.workers}'`,
      );
    }
    return Number(w);
  });
  const routes = list("--routes", raw.routes, BENCH_DEFAULTS.routes).map((r) => {
    if (!(ROUTE_NAMES as readonly string[]).includes(r)) {
      throw new UsageError(`--routes must name some of ${ROUTE_NAMES.join(", ")}, got '${r}'`);
    }
    return r as RouteName;
  });
  const loader = raw.loader === undefined || raw.loader === "" ? BENCH_DEFAULTS.loader : raw.loader;
  if (loader !== "autocannon" && loader !== "wrk" && loader !== "auto") {
    throw new UsageError(`--loader must be auto, autocannon or wrk, got '${raw.loader}'`);
  }
  if (raw.noPin && raw.cpus) throw new UsageError("--cpus and --no-pin cannot be used together");
  const connections = int("--connections", raw.connections, BENCH_DEFAULTS.connections, 1, 10_000);
  const loaderThreads = int("--loader-threads", raw.loaderThreads, BENCH_DEFAULTS.loaderThreads, 1, 64);
  if (loaderThreads > connections) {
    throw new UsageError(`--loader-threads (${loaderThreads}) cannot exceed --connections (${connections})`);
  }
  return {
    target: raw.target || undefined,
    baseline: raw.baseline === "none" ? null : raw.baseline || undefined,
    workers: [...new Set(workers)],
    workersAuto,
    routes: [...new Set(routes)],
    routesGiven: raw.routes !== undefined && raw.routes.trim() !== "",
    ioMs: int("--io-ms", raw.ioMs, BENCH_DEFAULTS.ioMs, 0, 10_000),
    durationS: int("--duration", raw.durationS, quick ? QUICK.durationS : BENCH_DEFAULTS.durationS, 1, 3_600),
    runs: int("--runs", raw.runs, quick ? QUICK.runs : BENCH_DEFAULTS.runs, 1, 100),
    warmupS: int("--warmup", raw.warmupS, quick ? QUICK.warmupS : BENCH_DEFAULTS.warmupS, 0, 600),
    connections,
    pipelining: int("--pipelining", raw.pipelining, BENCH_DEFAULTS.pipelining, 1, 100),
    loader,
    loaderThreads,
    quick,
    cpus: raw.noPin ? null : raw.cpus || "auto",
    shutdownRuns: int(
      "--shutdown-runs",
      raw.shutdownRuns,
      quick ? QUICK.shutdownRuns : BENCH_DEFAULTS.shutdownRuns,
      0,
      100,
    ),
    shutdownRatePerS: int("--shutdown-rate", raw.shutdownRate, BENCH_DEFAULTS.shutdownRatePerS, 1, 50_000),
    fixedRate:
      raw.fixedRate === "none"
        ? []
        : list("--fixed-rate", raw.fixedRate, BENCH_DEFAULTS.fixedRatePct.map(String)).map((pct) => {
            if (!/^\d+$/.test(pct) || Number(pct) < 1 || Number(pct) > 100) {
              throw new UsageError(
                `--fixed-rate must list per cents from 1 to 100 (or 'none'), got '${raw.fixedRate}'`,
              );
            }
            return Number(pct) / 100;
          }),
    allowErrors: raw.allowErrors ?? false,
    ...remoteLoad(raw, loader),
  };
}

/** The load-host options, checked against each other and against what only a local loader can do. */
function remoteLoad(
  raw: RawBenchOptions,
  loader: LoaderChoice,
): Pick<BenchOptions, "loadHosts" | "sshOptions" | "targetAddress"> &
  Partial<Pick<BenchOptions, "cpus" | "fixedRate">> {
  const hosts = (raw.loadHosts ?? []).map((spec) => parseLoadHost(spec).spec);
  const sshOptions = raw.sshOptions ?? [];
  const address = raw.targetAddress?.trim() || null;
  if (hosts.length === 0) {
    if (address) throw new UsageError("--target-address is for load from other hosts: give --load-host too");
    if (sshOptions.length > 0)
      throw new UsageError("--ssh-option is for load from other hosts: give --load-host too");
    return { loadHosts: [], sshOptions: [], targetAddress: null };
  }
  if (!address) {
    throw new UsageError(
      "--load-host needs --target-address: the address of this host that the load hosts reach (loopback is not reachable from them)",
    );
  }
  if (!isIpLiteral(address)) throw new UsageError(`--target-address must be an IP address, got '${address}'`);
  if (loader === "autocannon")
    throw new UsageError("--load-host runs wrk on the load hosts: use --loader wrk or auto");
  if (raw.cpus)
    throw new UsageError(
      "--cpus places a loader on this host's CPUs: with --load-host the target has them all",
    );
  if (raw.fixedRate && raw.fixedRate !== "none") {
    throw new UsageError(
      "--fixed-rate runs the kit's own client on this host: not available with --load-host",
    );
  }
  for (const option of sshOptions) {
    if (!/^[A-Za-z]+[= ]\S/.test(option))
      throw new UsageError(`--ssh-option must be Name=value, got '${option}'`);
  }
  // The target gets this host's CPUs; the constant-rate latency needs a client here, so it is left out.
  return { loadHosts: hosts, sshOptions, targetAddress: address, cpus: null, fixedRate: [] };
}

function list<T extends string>(flag: string, value: string | undefined, fallback: readonly T[]): string[] {
  if (value === undefined || value.trim() === "") return [...fallback];
  const parts = value.split(",").map((part) => part.trim());
  if (parts.some((part) => part === "")) throw new UsageError(`${flag} has an empty item: '${value}'`);
  return parts;
}
