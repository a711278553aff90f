import type { ChartDataset, TooltipItem } from "chart.js";
import { compareResults } from "../../runners/compare.ts";
import { describePlacement } from "../../runners/cpu-list.ts";
import { describeLoadHost } from "../../runners/load-host.ts";
import { ROUTE_NAMES, type RouteName } from "../../runners/options.ts";
import type { BenchResult } from "../../runners/result.ts";
import { COLORS, drawChart } from "./charts.ts";
import type { ReportData } from "./data.ts";
import { el, section, table } from "./dom.ts";
import {
  figureRows,
  fixedRateRows,
  formatNumber,
  overlayRuns,
  RSS_CLAIM_MIB,
  rpsSeries,
  scaling,
  targetPoints,
} from "./model.ts";

/** Other targets on the RPS charts, after the run's own colours. */
const OVERLAY_COLORS = ["#0a7f3f", "#bc4c00", "#6639ba", "#1b7c83"] as const;

function spreadText(result: BenchResult): string {
  return result.options.runs >= 5
    ? "95% interval of the mean"
    : `the runs' range (min–max of ${result.options.runs} run${result.options.runs === 1 ? "" : "s"}; a 95% interval needs 5)`;
}

/** The routes this result measured, in their usual order (io only where the target declares one). */
function routesOf(result: BenchResult): RouteName[] {
  return ROUTE_NAMES.filter((route) => result.points.some((p) => p.role === "target" && p.route === route));
}

function flagBadges(flags: readonly string[], warnings: ReportData["warnings"]): Node {
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

function canvas(id: string, label: string): HTMLElement {
  return el("figure", { class: "chart" }, [
    el("div", { class: "canvas-box" }, [el("canvas", { attrs: { id, role: "img", "aria-label": label } })]),
    el("figcaption", { text: label }),
  ]);
}

/** The charts and tables of one run, optionally beside a second run. */
export function renderBench(
  data: ReportData,
  current: BenchResult,
  other: BenchResult | undefined,
): HTMLElement {
  const warn = data.warnings;
  const host = current.host;
  const hostBox = el("dl", { class: "host", attrs: { "data-testid": "host" } }, [
    ...(
      [
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
        [
          current.loadHosts?.length ? "Load from" : "Placement",
          current.loadHosts?.length
            ? `${current.loadHosts.length} host(s) over ssh, to ${current.options.targetAddress ?? "?"}: ${current.loadHosts.map(describeLoadHost).join("; ")}; the target has all ${host.logicalCpus} CPU(s) of this host`
            : describePlacement(current.points.find((p) => p.placement)?.placement, host.logicalCpus),
        ],
        [
          "Loader",
          `${current.loader.name} ${current.loader.version}, ${current.options.connections} connections, ${current.loader.threads} thread(s), pipelining ${current.loader.pipelining}`,
        ],
        [
          "Runs",
          `${current.options.runs} × ${current.options.durationS} s after ${current.options.warmupS} s warm-up${current.options.quick ? " (quick)" : ""}; Node ${host.node}`,
        ],
        ["Started", `${current.startedAt}${current.complete ? "" : " (incomplete run)"}`],
      ] as const
    ).flatMap(([term, value]) => [el("dt", { text: term }), el("dd", { text: value })]),
  ]);

  const charts = el("div", { class: "charts" }, [
    ...routesOf(current).map((route) =>
      canvas(
        `rps-${route}`,
        `Requests per second against workers, ${route} route${route === "io" ? ` (each request waits ${current.options.ioMs ?? "?"} ms)` : ""}: median with ${spreadText(current)}, ideal scaling, other targets measured on this host${route === "io" ? "" : `, and BustAPI's published figures (${data.published.hardware})`}`,
      ),
    ),
    canvas("speedup", "Speedup over 1 worker (bars) and efficiency (line)"),
    canvas(
      "latency",
      `Latency percentiles per worker count, CPU-bound routes (ms; ${current.loader.name === "autocannon" ? "autocannon records whole milliseconds, so sub-millisecond latencies read 0" : "wrk records microseconds"})`,
    ),
    canvas("cpu", "CPU cores used by the server and by the load generator, per point"),
    canvas("rss", `Peak RSS per worker (MiB), against the 25–40 MB the source claims`),
  ]);

  const flagged = current.points.filter((p) => p.flags.length > 0);
  const flagTable = table(
    ["point", "flags", "limit", "why"],
    flagged.map((p) => [
      `${p.role === "baseline" ? `${p.targetName} (baseline) ` : ""}${p.workers} worker(s), ${p.route}`,
      flagBadges(p.flags, warn),
      p.saturated,
      p.flags.map((f) => warn[f]?.explanation ?? f).join(" "),
    ]),
    { testId: "flags-table" },
  );

  const rows = figureRows(current);
  const figures = table(
    [
      "point",
      "RPS median",
      "spread (95% CI from 5 runs, else min–max)",
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
    rows.map((r) => [
      `${r.role === "baseline" ? `${r.target} (baseline) ` : ""}${r.workers}w ${r.route}`,
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
      flagBadges(r.flags, warn),
    ]),
    { testId: "figures-table", numeric: new Set([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]) },
  );

  const fixed = fixedRateRows(current);
  const fixedTable = table(
    ["point", "load", "rate/s", "achieved/s", "p50 ms", "p99 ms", "p99.9 ms", "client lag p99 ms", "note"],
    fixed.map((f) => [
      f.point,
      f.load,
      formatNumber(f.ratePerS),
      formatNumber(f.achievedPerS),
      formatNumber(f.p50, 3),
      formatNumber(f.p99, 3),
      formatNumber(f.p999, 3),
      formatNumber(f.clientLagP99, 3),
      f.clientLagged ? "client lag in the tail" : "–",
    ]),
    { testId: "fixed-rate-table", numeric: new Set([2, 3, 4, 5, 6, 7]) },
  );

  const goals = el("ul", { class: "goals", attrs: { "data-testid": "goals" } }, [
    ...current.goals.overhead.map((g) =>
      el("li", {
        text: `Overhead, ${g.route}: ${goalText(g)}`,
      }),
    ),
    ...current.goals.scaling.map((g) =>
      el("li", {
        text: `Scaling 1→2 workers, ${g.route}: ${goalText(g)}`,
      }),
    ),
  ]);

  const recommendations = current.recommendations ?? [];
  const recommended = el(
    "ul",
    { class: "goals", attrs: { "data-testid": "recommendations" } },
    recommendations.map((r) =>
      el("li", {
        text: `Workers for this host, ${r.route}: ${r.workers === null ? "no recommendation" : r.workers}. ${r.reason}. ${r.advice.join(". ")}`,
      }),
    ),
  );

  const loss = current.shutdownLoss;
  const lossTable = loss
    ? table(
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
        loss.runs.map((run, i) => [
          run.signal,
          String((i % Math.max(1, loss.runs.filter((r) => r.signal === run.signal).length)) + 1),
          formatNumber(run.sent),
          formatNumber(run.answered),
          formatNumber(run.refused),
          String(run.lost),
          String(run.timedOut),
          String(run.queuedAtSignal),
          run.exitAfterMs === null ? "did not exit" : String(run.exitAfterMs),
        ]),
        { testId: "shutdown-loss-table", numeric: new Set([1, 2, 3, 4, 5, 6, 7, 8]) },
      )
    : null;

  const comparison = other ? renderComparison(current, other) : null;
  const node = section("Benchmark", "bench", [
    hostBox,
    goals,
    recommendations.length > 0 ? recommended : null,
    charts,
    comparison,
    el("h3", { text: "Flagged points" }),
    flagged.length ? flagTable : el("p", { text: "No point was flagged." }),
    el("h3", { text: "Every figure" }),
    figures,
    ...(loss && lossTable
      ? [
          el("h3", { text: "What a shutdown loses" }),
          el("p", {
            text: `${loss.workers} worker(s), ${formatNumber(loss.ratePerS)} new connections per second, the signal 1 s in. Lost: connected (the kernel accepted it), then reset or closed unanswered; refused: never accepted, the client knows.`,
          }),
          lossTable,
        ]
      : []),
    ...(fixed.length > 0
      ? [
          el("h3", { text: "Latency at a fixed offered rate" }),
          el("p", {
            text: "Timed from when each request was due (coordinated omission corrected), at fractions of the capacity measured for the point. Client lag is the kit's own delay in sending, part of every figure on its row.",
          }),
          fixedTable,
        ]
      : []),
  ]);
  queueMicrotask(() => drawBenchCharts(data, current, other));
  return node;
}

function renderComparison(current: BenchResult, other: BenchResult): HTMLElement {
  const comparison = compareResults(other, current);
  const rows = comparison.points.map((p) => [
    `${p.role === "baseline" ? "baseline " : ""}${p.workers}w ${p.route}`,
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

function tooltipFlags(data: ReportData, flags: readonly string[][]) {
  return (item: TooltipItem<"line">) => {
    const list = flags[item.dataIndex] ?? [];
    return list.length ? list.map((f) => `⚠ ${f}: ${data.warnings[f]?.explanation ?? ""}`) : [];
  };
}

function drawBenchCharts(data: ReportData, current: BenchResult, other: BenchResult | undefined): void {
  for (const route of routesOf(current)) {
    const target = document.getElementById(`rps-${route}`) as HTMLCanvasElement | null;
    if (!target) continue;
    const s = rpsSeries(current, route, data.published);
    const labels = [...new Set([...s.workers, ...s.published.map((p) => p.workers)])].sort((a, b) => a - b);
    const at = <T>(workers: readonly number[], values: ReadonlyArray<T | null>): (T | null)[] =>
      labels.map((w) => {
        const i = workers.indexOf(w);
        return i === -1 ? null : (values[i] ?? null);
      });
    const flaggedStyle = s.flags.map((f) => (f.length > 0 ? "triangle" : "circle"));
    const datasets: ChartDataset<"line">[] = [
      {
        label: `${current.target.name} (median)`,
        data: at(s.workers, s.median),
        borderColor: COLORS[route],
        backgroundColor: COLORS[route],
        // A flagged point is drawn differently: a larger red triangle, its reasons in the tooltip.
        pointBackgroundColor: at<string>(
          s.workers,
          s.flags.map((f) => (f.length ? COLORS.flagged : COLORS[route])),
        ).map((c) => c ?? COLORS[route]),
        pointStyle: at(s.workers, flaggedStyle).map((p) => p ?? "circle"),
        pointRadius: at(
          s.workers,
          s.flags.map((f) => (f.length ? 8 : 4)),
        ).map((r) => r ?? 4),
        spanGaps: true,
      },
      {
        label: "ideal (1-worker × workers)",
        data: at(s.workers, s.ideal),
        borderColor: COLORS.ideal,
        borderDash: [6, 4],
        pointRadius: 0,
        spanGaps: true,
      },
      {
        label: `${data.published.name}: ${data.published.hardware}`,
        data: at(
          s.published.map((p) => p.workers),
          s.published.map((p) => p.rps),
        ),
        borderColor: COLORS.published,
        borderDash: [2, 3],
        pointStyle: "rectRot",
        spanGaps: true,
      },
    ];
    // Other targets measured on this host (same fingerprint): the user's server beside the reference.
    overlayRuns(data.bench, current).forEach((run, i) => {
      const o = rpsSeries(run, route, data.published);
      if (o.workers.length === 0) return;
      const color = OVERLAY_COLORS[i % OVERLAY_COLORS.length] ?? COLORS.compare;
      datasets.push({
        label: `${run.target.name} (same host, ${run.startedAt.slice(0, 10)})`,
        data: at(o.workers, o.median),
        borderColor: color,
        backgroundColor: color,
        spanGaps: true,
      });
    });
    if (other) {
      const o = rpsSeries(other, route, data.published);
      datasets.push({
        label: `${other.target.name} (compared run)`,
        data: at(o.workers, o.median),
        borderColor: COLORS.compare,
        borderDash: [8, 3],
        spanGaps: true,
      });
    }
    const measured = [...s.median, ...s.ciHigh, ...s.published.map((p) => p.rps)].filter(
      (v): v is number => v !== null,
    );
    const yMax = niceCeiling(Math.max(...measured) * 1.25);
    drawChart(target, {
      type: "line",
      data: { labels: labels.map(String), datasets },
      options: {
        maintainAspectRatio: false,
        scales: {
          x: { title: { display: true, text: "workers" } },
          // Scaled to the measured and published figures; the ideal line may leave the top.
          y: { beginAtZero: true, max: yMax, title: { display: true, text: "requests per second" } },
        },
        plugins: {
          errorBars: {
            bars: [{ datasetIndex: 0, low: at(s.workers, s.ciLow), high: at(s.workers, s.ciHigh) }],
          },
          tooltip: {
            callbacks: {
              afterLabel: tooltipFlags(
                data,
                at(s.workers, s.flags).map((f) => f ?? []),
              ) as never,
            },
          },
        },
      },
    });
  }

  const workers = [...new Set(current.points.filter((p) => p.role === "target").map((p) => p.workers))].sort(
    (a, b) => a - b,
  );
  const speedup = document.getElementById("speedup") as HTMLCanvasElement | null;
  if (speedup) {
    drawChart(speedup, {
      type: "bar",
      data: {
        labels: workers.map(String),
        datasets: routesOf(current).flatMap((route) => {
          const rows = scaling(current, route);
          const byWorkers = (key: "speedup" | "efficiency") =>
            workers.map((w) => rows.find((r) => r.workers === w)?.[key] ?? null);
          return [
            {
              type: "bar" as const,
              label: `speedup, ${route}`,
              data: byWorkers("speedup"),
              backgroundColor: COLORS[route],
              yAxisID: "y",
            },
            {
              type: "line" as const,
              label: `efficiency, ${route}`,
              data: byWorkers("efficiency"),
              borderColor: COLORS[route],
              borderDash: [4, 3],
              yAxisID: "y1",
            },
          ];
        }) as never,
      },
      options: {
        maintainAspectRatio: false,
        scales: {
          x: { title: { display: true, text: "workers" } },
          y: { beginAtZero: true, title: { display: true, text: "speedup (×)" } },
          y1: {
            beginAtZero: true,
            max: 1.2,
            position: "right",
            grid: { drawOnChartArea: false },
            title: { display: true, text: "efficiency" },
          },
        },
      },
    });
  }

  const latency = document.getElementById("latency") as HTMLCanvasElement | null;
  if (latency) {
    // The io route's waits would flatten the others' bars: its latency is in the figures table.
    const points = routesOf(current)
      .filter((route) => route !== "io")
      .flatMap((route) => targetPoints(current, route));
    drawChart(latency, {
      type: "bar",
      data: {
        labels: points.map((p) => `${p.workers}w ${p.route}`),
        datasets: (["p50", "p90", "p99", "p999"] as const).map((key) => ({
          label: key === "p999" ? "p99.9" : key,
          data: points.map((p) => p.summary.latencyMs[key]),
          backgroundColor: COLORS[key],
        })),
      },
      options: {
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, title: { display: true, text: "ms" } } },
      },
    });
  }

  const cpu = document.getElementById("cpu") as HTMLCanvasElement | null;
  if (cpu) {
    const points = current.points;
    const label = (p: (typeof points)[number]) =>
      `${p.role === "baseline" ? "base " : ""}${p.workers}w ${p.route}${p.flags.length ? " ⚠" : ""}`;
    drawChart(cpu, {
      type: "bar",
      data: {
        labels: points.map(label),
        datasets: [
          {
            label: "server cores",
            data: points.map((p) => p.summary.serverCores),
            backgroundColor: COLORS.server,
            stack: "cpu",
          },
          {
            label: "client cores",
            data: points.map((p) => p.summary.loaderCores),
            backgroundColor: COLORS.client,
            stack: "cpu",
          },
        ],
      },
      options: {
        maintainAspectRatio: false,
        scales: {
          y: {
            beginAtZero: true,
            stacked: true,
            suggestedMax: current.host.logicalCpus,
            title: { display: true, text: `cores (host has ${current.host.logicalCpus})` },
          },
          x: { stacked: true },
        },
        plugins: {
          tooltip: {
            callbacks: {
              afterBody: (items) => points[items[0]?.dataIndex ?? 0]?.flags.map((f) => `⚠ ${f}`) ?? [],
            },
          },
        },
      },
    });
  }

  const rss = document.getElementById("rss") as HTMLCanvasElement | null;
  if (rss) {
    const points = current.points.filter((p) => p.summary.peakRssPerWorkerBytes !== null);
    drawChart(rss, {
      type: "bar",
      data: {
        labels: points.map((p) => `${p.role === "baseline" ? "base " : ""}${p.workers}w ${p.route}`),
        datasets: [
          {
            type: "bar" as const,
            label: "peak RSS per worker (MiB)",
            data: points.map((p) => (p.summary.peakRssPerWorkerBytes ?? 0) / 2 ** 20),
            backgroundColor: COLORS.server,
          },
          {
            type: "line" as const,
            label: "claimed low (25 MB)",
            data: points.map(() => RSS_CLAIM_MIB.low),
            borderColor: COLORS.published,
            borderDash: [4, 4],
            pointRadius: 0,
          },
          {
            type: "line" as const,
            label: "claimed high (40 MB)",
            data: points.map(() => RSS_CLAIM_MIB.high),
            borderColor: COLORS.flagged,
            borderDash: [4, 4],
            pointRadius: 0,
          },
        ] as never,
      },
      options: {
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, title: { display: true, text: "MiB" } } },
      },
    });
  }
}

function goalText(goal: BenchResult["goals"]["overhead"][number]): string {
  // An unassessable goal's reason already says so.
  return goal.met === null ? goal.reason : `${goal.met ? "met" : "NOT met"}. ${goal.reason}`;
}

/** 1, 2 or 5 times a power of ten, at or above `value`: a readable axis top. */
function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
