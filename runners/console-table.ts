import { describePlacement } from "./cpu-list.ts";
import type { BenchResult, Goal, Point } from "./result.ts";
import { WARNINGS, type WarningCode } from "./warnings.ts";

const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** Server CPU per request, with the runs' spread: the figure that holds whichever side saturated. */
function costCell(point: Point): string {
  const cost = point.summary.cpuUsPerRequest;
  if (!cost) return "-";
  const spread = cost.max - cost.min;
  return point.summary.runs > 1
    ? `${cost.median.toFixed(1)} ±${(spread / 2).toFixed(1)}`
    : cost.median.toFixed(1);
}

/** The largest worker's USS after the load (private pages: what one more worker costs), in MiB. */
function ussCell(point: Point): string {
  const bytes = point.summary.ussPerWorkerBytes?.afterLoad;
  return bytes === null || bytes === undefined ? "-" : (bytes / 2 ** 20).toFixed(1);
}

/** The placement of the run's points (the same for every point of a run), or where the load came from. */
export function placementLine(result: BenchResult): string {
  if (result.loadHosts && result.loadHosts.length > 0) return loadHostsLine(result);
  return describePlacement(result.points.find((p) => p.placement)?.placement, result.host.logicalCpus);
}

/** Load from other hosts: each host, what it is, how far from the target; the target has this host's CPUs. */
export function loadHostsLine(result: BenchResult): string {
  const hosts = (result.loadHosts ?? []).map(
    (h) =>
      `${h.host} (${h.cpus} CPU(s), ${h.cpuModel}, ${h.kernel}, wrk ${h.wrkVersion}, rtt ${h.rttMs === null ? "unknown" : `${h.rttMs.toFixed(3)} ms`}${h.path ? `, via ${h.path}` : ""})`,
  );
  return `load from ${hosts.length} host(s) over ssh, ${result.options.connections} connection(s) each: ${hosts.join("; ")}; the target has all ${result.host.logicalCpus} CPU(s) here, at ${result.options.targetAddress}`;
}

function rpsCell(point: Point): string {
  const { median, ci95 } = point.summary.rps;
  if (!ci95) return `${number.format(median)} (1 run)`;
  return `${number.format(median)} ± ${number.format((ci95.high - ci95.low) / 2)}`;
}

/** Pure: the end-of-run table, the goals and the warnings explained; one screen. */
export function renderBenchTable(
  result: BenchResult,
  paths: { json?: string; report?: string } = {},
): string {
  const { options, host, loader } = result;
  const one = (point: Point) =>
    result.points.find(
      (p) =>
        p.role === point.role &&
        p.route === point.route &&
        p.workers === 1 &&
        p.targetName === point.targetName,
    );
  const header = [
    "target",
    "workers",
    "route",
    "RPS (median ± 95% CI)",
    "µs CPU/req",
    "speedup",
    "eff.",
    "p99 ms",
    "USS MiB",
    "server",
    "client",
    "limit",
    "flags",
  ];
  const rows = result.points.map((point) => {
    const base = one(point);
    const speedup = base ? point.summary.rps.median / base.summary.rps.median : Number.NaN;
    return [
      point.role === "baseline" ? `${point.targetName} (baseline)` : point.targetName,
      String(point.workers),
      point.route,
      rpsCell(point),
      costCell(point),
      Number.isNaN(speedup) ? "-" : `${speedup.toFixed(2)}x`,
      Number.isNaN(speedup) ? "-" : `${Math.round((speedup / point.workers) * 100)}%`,
      point.summary.latencyMs.p99.toFixed(point.summary.latencyMs.p99 < 10 ? 2 : 1),
      ussCell(point),
      point.summary.serverCores.toFixed(2),
      point.summary.loaderCores.toFixed(2),
      point.saturated,
      point.flags.join(", ") || "-",
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const numeric = new Set([1, 3, 4, 5, 6, 7, 8, 9, 10]);
  const line = (cells: string[]) =>
    ` ${cells.map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join("  ")}`.trimEnd();
  const used = new Set<WarningCode>(result.points.flatMap((p) => p.flags));
  const goal = (g: Goal) => `${g.route}: ${g.met === null ? "n/a" : g.met ? "met" : "NOT met"} (${g.reason})`;
  const out = [
    `bustbench bench: ${result.target.name}${result.target.versionLine ? ` (${result.target.versionLine})` : ""}`,
    `loader ${loader.name} ${loader.version}, ${options.connections} connections, ${loader.threads} thread(s), ` +
      `${options.runs} x ${options.durationS} s after ${options.warmupS} s warm-up` +
      (result.complete ? "" : "  [INCOMPLETE]"),
    `host ${host.cpuModel}, ${host.logicalCpus} logical CPUs, ${host.memoryGiB} GiB, kernel ${host.kernel}, ` +
      `governor ${host.governor}, fingerprint ${host.fingerprint}`,
    placementLine(result),
    "",
    line(header),
    ...rows.map(line),
    "",
    "µs CPU/req: server CPU time per request, all its processes (± half the runs' range): valid whatever the limit; - when the server used under 10 clock ticks (0.1 s) of CPU, too few to resolve.",
    "USS MiB: private memory of the largest worker after the load, what one more worker costs (RSS counts shared pages too).",
    "server/client: CPU cores used by the server's processes and by the load generator; limit: the side that ran out of CPU.",
  ];
  out.push(...hostShareLines(result));
  for (const f of result.failedPoints ?? []) {
    out.push(
      `NOT MEASURED: ${f.role === "baseline" ? "baseline " : ""}${f.workers} worker(s) ${f.route}: ${f.reason}`,
    );
  }
  out.push(...fixedRateTable(result));
  if (result.goals.overhead.length > 0)
    out.push(`Overhead vs the baseline at 1 worker: ${result.goals.overhead.map(goal).join("; ")}`);
  const contention = contentionLine(result);
  if (contention) out.push(contention);
  if (result.goals.scaling.length > 0)
    out.push(`Scaling 1 -> 2 workers: ${result.goals.scaling.map(goal).join("; ")}`);
  out.push(...recommendationLines(result));
  out.push(...shutdownLossLines(result));
  if (used.size > 0) {
    out.push("", "Flags:");
    for (const code of used) out.push(`  ${code.padEnd(15)} ${WARNINGS[code].explanation}`);
  }
  if (used.has("client-bound")) {
    out.push(
      "",
      "A client-bound figure is what this load generator could drive on this host, not the server's capacity.",
    );
  }
  if (paths.json) out.push("", `JSON:   ${paths.json}`);
  if (paths.report) out.push(`Report: ${paths.report}`);
  return `${out.join("\n")}\n`;
}

/**
 * Load from other hosts: each host's share of the requests and the CPU it used, per point (the
 * median run), so that an uneven host or one that ran out of CPU shows.
 */
export function hostShareLines(result: BenchResult): string[] {
  if (!result.loadHosts || result.loadHosts.length === 0) return [];
  const lines = [
    "",
    "Load hosts per point (median run): share of requests, wrk cores / host busy cores of its CPUs:",
  ];
  for (const point of result.points) {
    const runs = [...point.runs].sort((a, b) => a.rps - b.rps);
    const run = runs[Math.floor((runs.length - 1) / 2)];
    const total = run?.requests ?? 0;
    const shares = (run?.hosts ?? []).map(
      (h) =>
        `${h.host} ${total > 0 ? ((h.requests / total) * 100).toFixed(1) : "0"}% (${h.wrkCores.toFixed(2)} / ${Number.isFinite(h.hostBusyCores) ? h.hostBusyCores.toFixed(2) : "?"} of ${h.cpus})`,
    );
    lines.push(
      `  ${point.role === "baseline" ? "baseline " : ""}${point.workers}w ${point.route}: ${shares.join("; ")}`,
    );
  }
  return lines;
}

/** How server CPU per request changes with the worker count (contention), per route of the target. */
export function contentionLine(result: BenchResult): string | undefined {
  const parts: string[] = [];
  for (const route of result.options.routes) {
    const points = result.points
      .filter((p) => p.role === "target" && p.route === route && (p.summary.cpuUsPerRequest?.median ?? 0) > 0)
      .sort((a, b) => a.workers - b.workers);
    const first = points[0]?.summary.cpuUsPerRequest;
    if (points.length < 2 || !first) continue;
    const steps = points.map(
      (p) => `${p.workers}: ${(((p.summary.cpuUsPerRequest?.median ?? 0) / first.median) * 100).toFixed(0)}%`,
    );
    parts.push(`${route} ${steps.join(", ")}`);
  }
  return parts.length > 0
    ? `CPU per request by worker count (vs the fewest): ${parts.join("; ")}`
    : undefined;
}

/**
 * The constant-rate latencies: what a user waits at half and nine tenths of
 * the capacity, timed from when each request was due. Where the client's own
 * sending delay is a large part of the tail, or it could not offer the rate,
 * the row says so: those figures are the client's.
 */
export function fixedRateTable(result: BenchResult): string[] {
  const rows = result.points.flatMap((point) =>
    (point.fixedRate ?? []).map((fixed) => {
      const lagged = fixed.sendLagMs.p99 >= 0.5 * fixed.latencyMs.p99;
      const short = fixed.achievedRatePerS < 0.95 * fixed.targetRatePerS || fixed.errors > 0;
      return [
        point.role === "baseline" ? `${point.targetName} (baseline)` : point.targetName,
        String(point.workers),
        point.route,
        `${Math.round(fixed.fraction * 100)}%`,
        number.format(fixed.targetRatePerS),
        ms(fixed.latencyMs.p50),
        ms(fixed.latencyMs.p99),
        ms(fixed.latencyMs.p999),
        ms(fixed.sendLagMs.p99),
        [
          short ? `offered ${number.format(fixed.achievedRatePerS)}/s, ${fixed.errors} errors` : "",
          lagged ? "client lag in the tail" : "",
        ]
          .filter(Boolean)
          .join("; ") || "-",
      ];
    }),
  );
  if (rows.length === 0) return [];
  const header = [
    "target",
    "workers",
    "route",
    "load",
    "rate/s",
    "p50",
    "p99",
    "p99.9",
    "client lag p99",
    "note",
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const numeric = new Set([1, 3, 4, 5, 6, 7, 8]);
  const line = (cells: string[]) =>
    ` ${cells.map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join("  ")}`.trimEnd();
  return [
    "",
    "Latency at a fixed offered rate (ms), timed from when each request was due (coordinated omission corrected);",
    "client lag: the kit's own delay in sending, part of every figure on its row.",
    line(header),
    ...rows.map(line),
  ];
}

function ms(value: number): string {
  return value < 1 ? value.toFixed(3) : value < 10 ? value.toFixed(2) : value.toFixed(1);
}

/** "Workers for this host": the recommendation per route, the efficiencies, and the source's advice. */
export function recommendationLines(result: BenchResult): string[] {
  const recommendations = result.recommendations ?? [];
  if (recommendations.length === 0) return [];
  const lines = ["", "Workers for this host (the knee: the fewest within 5% of the best RPS):"];
  for (const r of recommendations) {
    const efficiency = Object.entries(r.efficiency)
      .map(([workers, value]) => `${workers}: ${Math.round(value * 100)}%`)
      .join(", ");
    lines.push(
      `  ${r.route}: ${r.workers === null ? "no recommendation" : `${r.workers} worker(s)`}. ${r.reason}`,
    );
    if (efficiency) lines.push(`    scaling efficiency ${efficiency}`);
    for (const advice of r.advice) lines.push(`    ${advice}`);
  }
  return lines;
}

/** What a shutdown loses: per signal, each run's lost requests, and the totals by outcome. */
export function shutdownLossLines(result: BenchResult): string[] {
  const loss = result.shutdownLoss;
  if (!loss || loss.runs.length === 0) return [];
  const lines = [
    "",
    `What a shutdown loses (${loss.workers} worker(s), ${number.format(loss.ratePerS)} new connections/s, the signal 1 s in):`,
  ];
  for (const signal of ["SIGTERM", "SIGINT"]) {
    const runs = loss.runs.filter((run) => run.signal === signal);
    if (runs.length === 0) continue;
    const sum = (key: "answered" | "refused" | "lost" | "timedOut") =>
      runs.reduce((total, run) => total + run[key], 0);
    lines.push(
      `  ${signal}: lost per run ${runs.map((run) => run.lost + run.timedOut).join(", ")}; in all ${sum("answered")} answered, ${sum("refused")} refused, ${sum("lost")} lost, ${sum("timedOut")} timed out; queued at the signal ${runs.map((run) => run.queuedAtSignal).join(", ")}`,
    );
  }
  lines.push(
    "  lost: connected (the kernel accepted it), then reset or closed unanswered; refused: never accepted, the client knows.",
  );
  return lines;
}
