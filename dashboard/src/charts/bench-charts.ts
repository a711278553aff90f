import type { ChartDataset, TooltipItem } from "chart.js";
import type { BenchResult } from "../../../results/bench.ts";
import { pointLabel, targetPoints } from "../../../results/derive.ts";
import type { ReportData } from "../../../results/report-data.ts";
import { overlayRuns, RSS_CLAIM_MIB, routesOf, rpsSeries, scaling } from "../model.ts";
import { COLORS, drawChart } from "./draw.ts";

/** The bench charts, one function each; drawn once their canvases are in the page. */

/** Other targets on the RPS charts, after the run's own colours. */
const OVERLAY_COLORS = ["#0a7f3f", "#bc4c00", "#6639ba", "#1b7c83"] as const;

export function drawBenchCharts(
  data: ReportData,
  current: BenchResult,
  other: BenchResult | undefined,
): void {
  for (const route of routesOf(current)) drawRpsChart(data, current, other, route);
  drawSpeedupChart(current);
  drawLatencyChart(current);
  drawCpuChart(current);
  drawRssChart(current);
}

function tooltipFlags(data: ReportData, flags: readonly string[][]) {
  return (item: TooltipItem<"line">) => {
    const list = flags[item.dataIndex] ?? [];
    return list.length ? list.map((f) => `⚠ ${f}: ${data.warnings[f]?.explanation ?? ""}`) : [];
  };
}

/** Requests per second against workers on one route, with the spread, the ideal, other targets and the published figures. */
function drawRpsChart(
  data: ReportData,
  current: BenchResult,
  other: BenchResult | undefined,
  route: BenchResult["options"]["routes"][number],
): void {
  const target = document.getElementById(`rps-${route}`) as HTMLCanvasElement | null;
  if (!target) return;
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

/** Speedup over 1 worker (bars) and efficiency (line), per route. */
function drawSpeedupChart(current: BenchResult): void {
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
}

/** Latency percentiles per worker count on the CPU-bound routes. */
function drawLatencyChart(current: BenchResult): void {
  const latency = document.getElementById("latency") as HTMLCanvasElement | null;
  if (latency) {
    // The io route's waits would flatten the others' bars: its latency is in the figures table.
    const points = routesOf(current)
      .filter((route) => route !== "io")
      .flatMap((route) => targetPoints(current, route));
    drawChart(latency, {
      type: "bar",
      data: {
        labels: points.map((p) => pointLabel(p)),
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
}

/** CPU cores of the server and of the load generator, per point. */
function drawCpuChart(current: BenchResult): void {
  const cpu = document.getElementById("cpu") as HTMLCanvasElement | null;
  if (cpu) {
    const points = current.points;
    const label = (p: (typeof points)[number]) => `${pointLabel(p)}${p.flags.length ? " ⚠" : ""}`;
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
}

/** Peak RSS per worker against the 25–40 MB the source claims. */
function drawRssChart(current: BenchResult): void {
  const rss = document.getElementById("rss") as HTMLCanvasElement | null;
  if (rss) {
    const points = current.points.filter((p) => p.summary.peakRssPerWorkerBytes !== null);
    drawChart(rss, {
      type: "bar",
      data: {
        labels: points.map((p) => pointLabel(p)),
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

/** 1, 2 or 5 times a power of ten, at or above `value`: a readable axis top. */
function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
