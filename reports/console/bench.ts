import { textTable } from "../../common/text-table.ts";
import type { BenchResult, Point } from "../../results/bench.ts";
import {
  fixedRateAdvice,
  fixedRateRows,
  formatInteger,
  formatMs,
  goalText,
  pointLabel,
  recommendationText,
  rpsText,
  scalingOf,
  shutdownLossSummaries,
  spreadLegend,
  targetLabel,
} from "../../results/derive.ts";
import { describeLoadHost, describeLoadLine } from "../../results/describe.ts";
import { WARNINGS, type WarningCode } from "../../results/warnings.ts";

/** Server CPU per request, with half the runs' range: the figure that holds whichever side saturated. */
function costCell(point: Point): string {
  const cost = point.summary.cpuUsPerRequest;
  if (!cost) return "-";
  return point.summary.runs > 1
    ? `${cost.median.toFixed(1)} ±${((cost.max - cost.min) / 2).toFixed(1)}`
    : cost.median.toFixed(1);
}

/** The largest worker's USS after the load (private pages: what one more worker costs), in MiB. */
function ussCell(point: Point): string {
  const bytes = point.summary.ussPerWorkerBytes?.afterLoad;
  return bytes === null || bytes === undefined ? "-" : (bytes / 2 ** 20).toFixed(1);
}

const right = (header: string) => ({ header, align: "right" as const });

/** Pure: the end-of-run text: the table, the goals, the advice and the warnings explained; one screen. */
export function renderBenchTable(result: BenchResult, paths: { json?: string } = {}): string {
  const { options, host, loader } = result;
  const rows = result.points.map((point) => {
    const scaling = scalingOf(result, point);
    return [
      targetLabel(point),
      String(point.workers),
      point.route,
      rpsText(point),
      costCell(point),
      scaling ? `${scaling.speedup.toFixed(2)}x` : "-",
      scaling ? `${Math.round(scaling.efficiency * 100)}%` : "-",
      point.summary.latencyMs.p99.toFixed(point.summary.latencyMs.p99 < 10 ? 2 : 1),
      ussCell(point),
      point.summary.serverCores.toFixed(2),
      point.summary.loaderCores.toFixed(2),
      point.saturated,
      point.flags.join(", ") || "-",
    ];
  });
  const used = new Set<WarningCode>(result.points.flatMap((p) => p.flags));
  const out = [
    `bustbench bench: ${result.target.name}${result.target.versionLine ? ` (${result.target.versionLine})` : ""}`,
    `loader ${loader.name} ${loader.version}, ${options.connections} connections, ${loader.threads} thread(s), ` +
      `${options.runs} x ${options.durationS} s after ${options.warmupS} s warm-up` +
      (result.complete ? "" : "  [INCOMPLETE]"),
    `host ${host.cpuModel}, ${host.logicalCpus} logical CPUs, ${host.memoryGiB} GiB, kernel ${host.kernel}, ` +
      `governor ${host.governor}, fingerprint ${host.fingerprint}`,
    describeLoadLine(result),
    "",
    ...textTable(
      [
        "target",
        right("workers"),
        "route",
        right("RPS"),
        right("µs CPU/req"),
        right("speedup"),
        right("eff."),
        right("p99 ms"),
        right("USS MiB"),
        right("server"),
        right("client"),
        "limit",
        "flags",
      ],
      rows,
      { indent: " " },
    ),
    "",
    `RPS: ${spreadLegend(options.runs)}.`,
    "µs CPU/req: server CPU time per request, all its processes (± half the runs' range): valid whatever the limit; - when the server used under 10 clock ticks (0.1 s) of CPU, too few to resolve.",
    "USS MiB: private memory of the largest worker after the load, what one more worker costs (RSS counts shared pages too).",
    "server/client: CPU cores used by the server's processes and by the load generator; limit: the side that ran out of CPU.",
  ];
  out.push(...hostShareLines(result));
  for (const f of result.failedPoints ?? []) out.push(`NOT MEASURED: ${pointLabel(f)}: ${f.reason}`);
  out.push(...fixedRateTable(result));
  if (result.goals.overhead.length > 0)
    out.push(
      `Overhead vs the baseline at 1 worker: ${result.goals.overhead.map((g) => `${g.route}: ${goalText(g)}`).join("; ")}`,
    );
  const contention = contentionLine(result);
  if (contention) out.push(contention);
  if (result.goals.scaling.length > 0)
    out.push(
      `Scaling 1 -> 2 workers: ${result.goals.scaling.map((g) => `${g.route}: ${goalText(g)}`).join("; ")}`,
    );
  out.push(...recommendationLines(result));
  out.push(...shutdownLossLines(result));
  if (used.size > 0) {
    out.push("", "Flags:");
    for (const code of used) out.push(`  ${code.padEnd(17)} ${WARNINGS[code].explanation}`);
  }
  if (used.has("client-bound")) {
    out.push(
      "",
      "A client-bound figure is what this load generator could drive on this host, not the server's capacity.",
    );
  }
  if (paths.json) out.push("", `JSON:   ${paths.json}`);
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
    `Load hosts: ${result.loadHosts.map(describeLoadHost).join("; ")}`,
    "Per point (median run): each host's share of requests, wrk cores / host busy cores of its CPUs:",
  ];
  for (const point of result.points) {
    const runs = [...point.runs].sort((a, b) => a.rps - b.rps);
    const run = runs[Math.floor((runs.length - 1) / 2)];
    const total = run?.requests ?? 0;
    const shares = (run?.hosts ?? []).map(
      (h) =>
        `${h.host} ${total > 0 ? ((h.requests / total) * 100).toFixed(1) : "0"}% (${h.wrkCores.toFixed(2)} / ${Number.isFinite(h.hostBusyCores) ? h.hostBusyCores.toFixed(2) : "?"} of ${h.cpus})`,
    );
    lines.push(`  ${pointLabel(point)}: ${shares.join("; ")}`);
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
 * The constant-rate latencies: what a user waits at fractions of the capacity, timed from when
 * each request was due. A row where the kit's own client fell behind its schedule measured the
 * client, not the server: it says so instead of printing figures (see fixedRateVerdict).
 */
export function fixedRateTable(result: BenchResult): string[] {
  const all = fixedRateRows(result);
  if (all.length === 0) return [];
  const rows = all.map(({ point, fixed, notMeasured }) => [
    targetLabel(point),
    String(point.workers),
    point.route,
    `${Math.round(fixed.fraction * 100)}%`,
    formatInteger(fixed.targetRatePerS),
    ...(notMeasured === null
      ? [
          formatMs(fixed.latencyMs.p50),
          formatMs(fixed.latencyMs.p99),
          formatMs(fixed.latencyMs.p999),
          formatMs(fixed.sendLagMs.p99),
          "",
        ]
      : ["-", "-", "-", "-", notMeasured]),
  ]);
  const lagged = all.find((row) => row.notMeasured !== null);
  return [
    "",
    "Latency at a fixed offered rate (ms), timed from when each request was due (coordinated omission corrected):",
    ...textTable(
      [
        "target",
        right("workers"),
        "route",
        right("load"),
        right("rate/s"),
        right("p50"),
        right("p99"),
        right("p99.9"),
        right("client lag p99"),
        "",
      ],
      rows,
      { indent: " " },
    ),
    ...(lagged ? [` ${fixedRateAdvice(lagged.point.placement?.loaderCpus ?? null)}.`] : []),
  ];
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
    lines.push(`  ${recommendationText(r)}`);
    if (efficiency) lines.push(`    scaling efficiency ${efficiency}`);
    for (const advice of r.advice) lines.push(`    ${advice}`);
  }
  return lines;
}

/** What a shutdown loses: per signal, each run's lost requests, and the totals by outcome. */
export function shutdownLossLines(result: BenchResult): string[] {
  const loss = result.shutdownLoss;
  const summaries = shutdownLossSummaries(result);
  if (!loss || summaries.length === 0) return [];
  return [
    "",
    `What a shutdown loses (${loss.workers} worker(s), ${formatInteger(loss.ratePerS)} new connections/s, the signal 1 s in):`,
    ...summaries.map(
      (s) =>
        `  ${s.signal}: lost per run ${s.lostPerRun.join(", ")}; in all ${s.answered} answered, ${s.refused} refused, ${s.lost} lost, ${s.timedOut} timed out; queued at the signal ${s.queuedAtSignal.join(", ")}`,
    ),
    "  lost: connected (the kernel accepted it), then reset or closed unanswered; refused: never accepted, the client knows.",
  ];
}
