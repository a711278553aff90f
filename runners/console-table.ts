import type { BenchResult, Goal, Point } from "./result.ts";
import { WARNINGS, type WarningCode } from "./warnings.ts";

const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

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
    "speedup",
    "eff.",
    "p99 ms",
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
      Number.isNaN(speedup) ? "-" : `${speedup.toFixed(2)}x`,
      Number.isNaN(speedup) ? "-" : `${Math.round((speedup / point.workers) * 100)}%`,
      point.summary.latencyMs.p99.toFixed(point.summary.latencyMs.p99 < 10 ? 2 : 1),
      point.summary.serverCores.toFixed(2),
      point.summary.loaderCores.toFixed(2),
      point.saturated,
      point.flags.join(", ") || "-",
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const numeric = new Set([1, 3, 4, 5, 6, 7, 8]);
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
    "",
    line(header),
    ...rows.map(line),
    "",
    "server/client: CPU cores used by the server's processes and by the load generator; limit: the side that ran out of CPU.",
  ];
  if (result.goals.overhead.length > 0)
    out.push(`Overhead vs the baseline at 1 worker: ${result.goals.overhead.map(goal).join("; ")}`);
  if (result.goals.scaling.length > 0)
    out.push(`Scaling 1 -> 2 workers: ${result.goals.scaling.map(goal).join("; ")}`);
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
