import type { BenchResult } from "../../../results/bench.ts";
import { fixedRateAdvice, fixedRateVerdict, spreadLegend } from "../../../results/derive.ts";
import type { ReportData } from "../../../results/report-data.ts";
import { drawBenchCharts } from "../charts/bench-charts.ts";
import { el, section } from "../dom.ts";
import { routesOf } from "../model.ts";
import {
  comparisonBox,
  figuresTable,
  fixedRateTable,
  flaggedTable,
  goalsList,
  hostBox,
  recommendationsList,
  shutdownLossTable,
} from "./bench-tables.ts";
import { timelineGrid } from "./timelines.ts";

function canvas(id: string, label: string): HTMLElement {
  return el("figure", { class: "chart" }, [
    el("div", { class: "canvas-box" }, [el("canvas", { attrs: { id, role: "img", "aria-label": label } })]),
    el("figcaption", { text: label }),
  ]);
}

function chartGrid(data: ReportData, current: BenchResult): HTMLElement {
  const spread = spreadLegend(current.options.runs);
  return el("div", { class: "charts" }, [
    ...routesOf(current).map((route) =>
      canvas(
        `rps-${route}`,
        `Requests per second against workers, ${route} route${route === "io" ? ` (each request waits ${current.options.ioMs ?? "?"} ms)` : ""}: ${spread}, ideal scaling, other targets measured on this host${route === "io" ? "" : `, and BustAPI's published figures (${data.published.hardware})`}`,
      ),
    ),
    canvas("speedup", "Speedup over 1 worker (bars) and efficiency (line)"),
    canvas(
      "latency",
      `Latency percentiles per worker count, CPU-bound routes (ms; ${current.loader.name === "autocannon" ? "autocannon records whole milliseconds, so sub-millisecond latencies read 0" : "wrk records microseconds"})`,
    ),
    canvas("cpu", "CPU cores used by the server and by the load generator, per point"),
    canvas("rss", "Peak RSS per worker (MiB), against the 25–40 MB the source claims"),
  ]);
}

/** The charts and tables of one run, optionally beside a second run. */
export function renderBench(
  data: ReportData,
  current: BenchResult,
  other: BenchResult | undefined,
): HTMLElement {
  const loss = shutdownLossTable(current);
  const fixed = fixedRateTable(current);
  const node = section("Benchmark", "bench", [
    hostBox(current),
    goalsList(current),
    recommendationsList(current),
    chartGrid(data, current),
    other ? comparisonBox(current, other) : null,
    el("h3", { text: "Flagged points" }),
    flaggedTable(current, data.warnings),
    el("h3", { text: "Every figure" }),
    figuresTable(current, data.warnings),
    ...(loss
      ? [
          el("h3", { text: "What a shutdown loses" }),
          el("p", {
            text: `${current.shutdownLoss?.workers} worker(s), ${current.shutdownLoss?.ratePerS.toLocaleString("en-US")} new connections per second, the signal 1 s in. Lost: connected (the kernel accepted it), then reset or closed unanswered; refused: never accepted, the client knows.`,
          }),
          loss,
          timelineGrid(
            "shutdown-timeline",
            (current.shutdownLoss?.runs ?? []).flatMap((run, i) =>
              run.timeline
                ? [
                    {
                      title: `${run.signal}, run ${i + 1}: ${run.lost} lost, ${run.refused} refused`,
                      event: run.signal,
                      timeline: run.timeline,
                    },
                  ]
                : [],
            ),
          ),
        ]
      : []),
    ...(fixed
      ? [
          el("h3", { text: "Latency at a fixed offered rate" }),
          el("p", {
            text: "Timed from when each request was due (coordinated omission corrected), at fractions of the capacity measured for the point. A row is shown only where the kit's client kept its schedule: its own delay in sending (client lag) is part of every figure on its row.",
          }),
          fixed,
          ...(current.points.some((p) => (p.fixedRate ?? []).some((f) => fixedRateVerdict(f) !== null))
            ? [
                el("p", {
                  class: "note",
                  text: fixedRateAdvice(
                    current.points.find((p) => p.placement)?.placement?.loaderCpus ?? null,
                  ),
                }),
              ]
            : []),
        ]
      : []),
  ]);
  queueMicrotask(() => drawBenchCharts(data, current, other));
  return node;
}
