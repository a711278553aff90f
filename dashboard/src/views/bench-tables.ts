import type { BenchResult, Point } from "../../../results/bench.ts";
import { compareResults } from "../../../results/compare.ts";
import {
  CI_MIN_RUNS,
  fixedRateRows,
  formatMs,
  goalText,
  pointLabel,
  recommendationText,
} from "../../../results/derive.ts";
import { describeLoad } from "../../../results/describe.ts";
import type { ReportData } from "../../../results/report-data.ts";
import { el, table } from "../dom.ts";
import { figureRows, formatNumber } from "../model.ts";

/** Pure views of one bench run: each function builds one box or table from the result. */

export function flagBadges(flags: readonly string[], warnings: ReportData["warnings"]): Node {
  if (flags.length === 0) return el("span", { class: "muted", text: "none" });
  return el(
    "span",
    {},
    flags.map((flag) =>
      el("span", {
        class: `badge flag flag-${flag}`,
        text: `⚠ ${flag}`,
        title: warnings[flag]?.explanation ?? flag,
      }),
    ),
  );
}

export function hostBox(current: BenchResult): HTMLElement {
  const host = current.host;
  const facts: Array<[string, string]> = [
    [
      "Target",
      `${current.target.name}${current.target.versionLine ? ` (${current.target.versionLine})` : ""}`,
    ],
    [
      "Host",
      `${host.cpuModel}, ${host.logicalCpus} logical CPUs (${host.physicalCores} cores), ${host.memoryGiB} GiB`,
    ],
    ["OS", `${host.os}, kernel ${host.kernel}, governor ${host.governor}`],
    ["Network", `somaxconn ${host.somaxconn ?? "?"}, tcp_migrate_req ${host.tcpMigrateReq ?? "?"}`],
    ["Fingerprint", host.fingerprint],
    [describeLoad(current).term, describeLoad(current).text],
    [
      "Loader",
      `${current.loader.name} ${current.loader.version}, ${current.options.connections} connections, ${current.loader.threads} thread(s), pipelining ${current.loader.pipelining}`,
    ],
    [
      "Runs",
      `${current.options.runs} × ${current.options.durationS} s after ${current.options.warmupS} s warm-up${current.options.quick ? " (quick)" : ""}; Node ${host.node}`,
    ],
    ["Started", `${current.startedAt}${current.complete ? "" : " (incomplete run)"}`],
  ];
  return el(
    "dl",
    { class: "host", attrs: { "data-testid": "host" } },
    facts.flatMap(([term, value]) => [el("dt", { text: term }), el("dd", { text: value })]),
  );
}

export function goalsList(current: BenchResult): HTMLElement {
  return el("ul", { class: "goals", attrs: { "data-testid": "goals" } }, [
    ...current.goals.overhead.map((g) => el("li", { text: `Overhead, ${g.route}: ${goalText(g)}` })),
    ...current.goals.scaling.map((g) =>
      el("li", { text: `Scaling 1→2 workers, ${g.route}: ${goalText(g)}` }),
    ),
  ]);
}

export function recommendationsList(current: BenchResult): HTMLElement | null {
  const recommendations = current.recommendations ?? [];
  if (recommendations.length === 0) return null;
  return el(
    "ul",
    { class: "goals", attrs: { "data-testid": "recommendations" } },
    recommendations.map((r) =>
      el("li", { text: `Workers for this host, ${recommendationText(r)}. ${r.advice.join(". ")}` }),
    ),
  );
}

export function flaggedTable(current: BenchResult, warnings: ReportData["warnings"]): HTMLElement {
  const flagged = current.points.filter((p) => p.flags.length > 0);
  if (flagged.length === 0) return el("p", { text: "No point was flagged." });
  return table(
    ["point", "flags", "limit", "why"],
    flagged.map((p: Point) => [
      pointLabel(p, { target: p.role === "baseline" }),
      flagBadges(p.flags, warnings),
      p.saturated,
      p.flags.map((f) => warnings[f]?.explanation ?? f).join(" "),
    ]),
    { testId: "flags-table" },
  );
}

export function figuresTable(current: BenchResult, warnings: ReportData["warnings"]): HTMLElement {
  return table(
    [
      "point",
      "RPS median",
      `spread (95% CI from ${CI_MIN_RUNS} runs, else min–max)`,
      "CV",
      "µs CPU/req",
      "p50 ms",
      "p90 ms",
      "p99 ms",
      "p99.9 ms",
      "server cores",
      "client cores",
      "host busy",
      "peak RSS MiB",
      "USS MiB",
      "failures",
      "limit",
      "flags",
    ],
    figureRows(current).map((r) => [
      r.label,
      el("span", { text: formatNumber(r.rpsMedian), attrs: { "data-figure": `rps-${r.key}` } }),
      r.ciLow === null ? "–" : `${formatNumber(r.ciLow)}–${formatNumber(r.ciHigh)}`,
      r.cv === null ? "–" : `${(r.cv * 100).toFixed(1)}%`,
      el("span", { text: formatNumber(r.cpuUsPerRequest, 1), attrs: { "data-figure": `cpu-${r.key}` } }),
      formatNumber(r.p50, 2),
      formatNumber(r.p90, 2),
      formatNumber(r.p99, 2),
      formatNumber(r.p999, 2),
      formatNumber(r.serverCores, 2),
      formatNumber(r.loaderCores, 2),
      formatNumber(r.hostBusyCores, 2),
      formatNumber(r.peakRssMiB, 1),
      formatNumber(r.ussMiB, 1),
      String(r.failures),
      r.saturated,
      flagBadges(r.flags, warnings),
    ]),
    { testId: "figures-table", numeric: new Set([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]) },
  );
}

/** Constant-rate latencies; a row whose client fell behind says why instead of showing its figures. */
export function fixedRateTable(current: BenchResult): HTMLElement | null {
  const rows = fixedRateRows(current);
  if (rows.length === 0) return null;
  return table(
    ["point", "load", "rate/s", "achieved/s", "p50 ms", "p99 ms", "p99.9 ms", "client lag p99 ms", "note"],
    rows.map(({ point, fixed, notMeasured }) => [
      pointLabel(point, { target: point.role === "baseline" }),
      `${Math.round(fixed.fraction * 100)}%`,
      formatNumber(fixed.targetRatePerS),
      ...(notMeasured === null
        ? [
            formatNumber(fixed.achievedRatePerS),
            formatMs(fixed.latencyMs.p50),
            formatMs(fixed.latencyMs.p99),
            formatMs(fixed.latencyMs.p999),
            formatMs(fixed.sendLagMs.p99),
            "–",
          ]
        : [formatNumber(fixed.achievedRatePerS), "–", "–", "–", "–", notMeasured]),
    ]),
    { testId: "fixed-rate-table", numeric: new Set([2, 3, 4, 5, 6, 7]) },
  );
}

export function shutdownLossTable(current: BenchResult): HTMLElement | null {
  const loss = current.shutdownLoss;
  if (!loss) return null;
  const seen = new Map<string, number>();
  return table(
    [
      "signal",
      "run",
      "sent",
      "answered",
      "refused",
      "lost",
      "timed out",
      "queued at the signal",
      "exit after ms",
    ],
    loss.runs.map((run) => {
      const n = (seen.get(run.signal) ?? 0) + 1;
      seen.set(run.signal, n);
      return [
        run.signal,
        String(n),
        formatNumber(run.sent),
        formatNumber(run.answered),
        formatNumber(run.refused),
        String(run.lost),
        String(run.timedOut),
        String(run.queuedAtSignal),
        run.exitAfterMs === null ? "did not exit" : String(run.exitAfterMs),
      ];
    }),
    { testId: "shutdown-loss-table", numeric: new Set([1, 2, 3, 4, 5, 6, 7, 8]) },
  );
}

export function comparisonBox(current: BenchResult, other: BenchResult): HTMLElement {
  const comparison = compareResults(other, current);
  const rows = comparison.points.map((p) => [
    pointLabel(p),
    formatNumber(p.oldMedian),
    formatNumber(p.newMedian),
    `${p.delta >= 0 ? "+" : ""}${(p.delta * 100).toFixed(1)}%`,
    p.change,
  ]);
  return el("div", { class: "comparison", attrs: { "data-testid": "comparison" } }, [
    el("h3", {
      text: `Compared with ${other.target.name} of ${other.startedAt.slice(0, 16)} (bench compare)`,
    }),
    comparison.sameHost
      ? null
      : el("p", {
          class: "warning",
          text: `Different hosts (fingerprint ${other.host.fingerprint} vs ${current.host.fingerprint}): these figures are not comparable.`,
        }),
    ...comparison.notes.map((n) => el("p", { class: "note", text: n })),
    table(["point", "other RPS", "this RPS", "delta", "verdict"], rows, { numeric: new Set([1, 2, 3]) }),
  ]);
}
