import { newestPerTarget } from "../../../results/derive.ts";
import type { LifecycleResult } from "../../../results/lifecycle.ts";
import { LIFECYCLE_COLUMNS, LIFECYCLE_LEGEND, lifecycleRows } from "../../../results/lifecycle-derive.ts";
import type { ReportData } from "../../../results/report-data.ts";
import { drawChart } from "../charts/draw.ts";
import { el, jsonDownload, section, table } from "../dom.ts";
import { timelineGrid } from "./timelines.ts";

/** The mark at 0 ms: what was done. */
function eventWord(id: string): string {
  if (id.startsWith("sigint")) return "SIGINT";
  if (id.startsWith("sigterm")) return "SIGTERM";
  if (id === "worker-hang") return "SIGSTOP";
  return "SIGKILL";
}

const OUTCOMES = [
  { key: "answered", label: "answered", color: "#2da44e" },
  { key: "refused", label: "refused (the client knows)", color: "#8c959f" },
  { key: "lost", label: "lost (accepted, then cut)", color: "#cf222e" },
  { key: "hung", label: "hung (no answer in time)", color: "#bf8700" },
] as const;

function drawOutcomes(canvasId: string, result: LifecycleResult): void {
  const canvas = document.getElementById(canvasId) as HTMLCanvasElement | null;
  if (!canvas) return;
  drawChart(canvas, {
    type: "bar",
    data: {
      labels: result.events.map((e) => e.label),
      datasets: OUTCOMES.map((o) => ({
        label: o.label,
        data: result.events.map((e) => e.runs.reduce((sum, r) => sum + r[o.key], 0)),
        backgroundColor: o.color,
        stack: "outcomes",
      })),
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      scales: { x: { stacked: true, title: { display: true, text: "requests" } }, y: { stacked: true } },
    },
  });
}

function targetBox(result: LifecycleResult, file: string, index: number): HTMLElement {
  const canvasId = `lifecycle-${index}`;
  const o = result.options;
  const node = el(
    "div",
    { class: "lifecycle", attrs: { "data-testid": "lifecycle", "data-target": result.target.name } },
    [
      el("h3", { text: result.target.name }),
      el("p", {
        class: "note",
        text: `${o.workers} workers, ${o.ratePerS.toLocaleString("en-US")} new connections per second, the event 1 s in, ${o.runs} run(s) per event; ${result.startedAt}. ${LIFECYCLE_LEGEND}`,
      }),
      el("figure", { class: "chart" }, [
        el("div", { class: "canvas-box" }, [
          el("canvas", {
            attrs: {
              id: canvasId,
              role: "img",
              "aria-label": `Requests per outcome for each event, ${result.target.name}`,
            },
          }),
        ]),
        el("figcaption", {
          text: "Requests per outcome for each event: what each way of stopping, killing or hanging the server cost",
        }),
      ]),
      table(
        LIFECYCLE_COLUMNS.map((c) => c.name),
        lifecycleRows(result),
        {
          testId: `lifecycle-table-${index}`,
          numeric: new Set(LIFECYCLE_COLUMNS.flatMap((c, i) => (c.numeric ? [i] : []))),
        },
      ),
      // Each event in time: when refusals began, how long a hung worker held its share, whether losses
      // bunched at the exit (the first run of each; files before version 3 have no timelines).
      timelineGrid(
        `lifecycle-${index}-timeline`,
        result.events.flatMap((event) => {
          const timeline = event.runs[0]?.timeline;
          return timeline
            ? [{ title: `${event.label} (${event.tool})`, event: eventWord(event.id), timeline }]
            : [];
        }),
      ),
      jsonDownload("raw JSON", file, result),
    ],
  );
  queueMicrotask(() => drawOutcomes(canvasId, result));
  return node;
}

/** Each target's newest lifecycle matrix: a chart of outcomes per event and the table. */
export function renderLifecycle(data: ReportData): HTMLElement | null {
  const entries = data.lifecycle ?? [];
  if (entries.length === 0) return null;
  const newest = [...newestPerTarget(entries.map((e) => e.result)).values()];
  const fileOf = new Map(entries.map((e) => [e.result, e.file]));
  return section(
    "Stopped, killed and hung the ways production does",
    "lifecycle",
    newest.map((result, i) => targetBox(result, fileOf.get(result) ?? "lifecycle.json", i)),
    "Each event under an open-loop load of new connections: what a deploy, a crash or a hung worker costs.",
  );
}
