import type { BenchResult } from "../results/bench.ts";
import type { ConformanceReport } from "../results/conformance.ts";

/**
 * Pure: the results as CSV (RFC 4180) for spreadsheets and scripts: one row per
 * benchmark point, one row per requirement and target. Text that a spreadsheet
 * would run as a formula (= + @ at the start) is prefixed with a quote mark.
 */
export function benchCsv(results: readonly BenchResult[]): string {
  const header = [
    "started_at",
    "host_fingerprint",
    "target",
    "role",
    "workers",
    "route",
    "runs",
    "rps_median",
    "rps_min",
    "rps_max",
    "cpu_us_per_request",
    "latency_p50_ms",
    "latency_p99_ms",
    "latency_p999_ms",
    "uss_per_worker_mib",
    "server_cores",
    "loader_cores",
    "limit",
    "flags",
  ];
  const rows = results.flatMap((r) =>
    r.points.map((p) => {
      const rps = p.runs.map((run) => run.rps);
      const uss = p.summary.ussPerWorkerBytes?.afterLoad;
      return [
        r.startedAt,
        r.host.fingerprint,
        p.targetName,
        p.role,
        p.workers,
        p.route,
        p.runs.length,
        p.summary.rps.median,
        rps.length > 0 ? Math.min(...rps) : "",
        rps.length > 0 ? Math.max(...rps) : "",
        p.summary.cpuUsPerRequest?.median ?? "",
        p.summary.latencyMs.p50,
        p.summary.latencyMs.p99,
        p.summary.latencyMs.p999,
        uss ? round(uss / 2 ** 20, 1) : "",
        round(p.summary.serverCores, 3),
        round(p.summary.loaderCores, 3),
        p.saturated,
        p.flags.join(" "),
      ];
    }),
  );
  return render([header, ...rows]);
}

export function conformanceCsv(reports: readonly ConformanceReport[]): string {
  const header = ["started_at", "target", "requirement", "level", "verdict", "gate_passed", "summary"];
  const rows = reports.flatMap((report) =>
    report.requirements.map((r) => [
      report.startedAt,
      report.target.name,
      r.id,
      r.level,
      r.verdict,
      report.gate.passed,
      r.summary,
    ]),
  );
  return render([header, ...rows]);
}

type Value = string | number | boolean;

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function csvField(value: Value): string {
  if (typeof value !== "string") return String(value);
  const safe = /^[=+@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function render(rows: ReadonlyArray<readonly Value[]>): string {
  return `${rows.map((row) => row.map(csvField).join(",")).join("\r\n")}\r\n`;
}
