import { Chart, type ChartType, type Plugin } from "chart.js";
import type { Timeline } from "../../../results/timeline.ts";
import { drawChart } from "./draw.ts";

/** The outcomes of a timeline's buckets, in its order, as the matrix names and colours them. */
export const TIMELINE_OUTCOMES = [
  { label: "answered", color: "#2da44e" },
  { label: "refused (the client knows)", color: "#8c959f" },
  { label: "lost (accepted, then cut)", color: "#cf222e" },
  { label: "hung (no answer in time)", color: "#bf8700" },
] as const;

/** What happened when, in ms from the event, drawn as labelled vertical lines. */
export interface Mark {
  atMs: number;
  label: string;
}

declare module "chart.js" {
  interface PluginOptionsByType<TType extends ChartType> {
    marks?: { marks: Mark[]; startMs: number; bucketMs: number };
  }
}

/** Vertical lines at the event and what followed it (chart.js draws no such thing by itself). */
const marksPlugin: Plugin<"bar"> = {
  id: "marks",
  afterDatasetsDraw(chart, _args, options: { marks?: Mark[]; startMs?: number; bucketMs?: number }) {
    const x = chart.scales.x;
    const area = chart.chartArea;
    if (!x || !options.marks || options.startMs === undefined || !options.bucketMs) return;
    const { ctx } = chart;
    ctx.save();
    ctx.strokeStyle = "#24292f";
    ctx.fillStyle = "#24292f";
    ctx.font = "11px system-ui, sans-serif";
    ctx.setLineDash([4, 3]);
    options.marks.forEach((mark, i) => {
      // Between bucket centres: bucket k covers [startMs + k * bucketMs, +bucketMs).
      const position = (mark.atMs - (options.startMs ?? 0)) / (options.bucketMs ?? 1) - 0.5;
      const px = x.getPixelForValue(position);
      if (!Number.isFinite(px) || px < area.left || px > area.right) return;
      ctx.beginPath();
      ctx.moveTo(px, area.top);
      ctx.lineTo(px, area.bottom);
      ctx.stroke();
      // Right of its line, or left of it where the text would leave the chart.
      const width = ctx.measureText(mark.label).width;
      const textX = px + 3 + width <= area.right ? px + 3 : Math.max(area.left, px - 3 - width);
      ctx.fillText(mark.label, textX, area.top + 12 + 12 * (i % 3));
    });
    ctx.restore();
  },
};

// Acts only on charts that set `marks`: the page's other charts are untouched.
Chart.register(marksPlugin);

/** One timeline: requests per bucket by outcome, stacked, with the event and what followed it marked. */
export function drawTimeline(canvas: HTMLCanvasElement, timeline: Timeline, marks: readonly Mark[]): void {
  const labels = timeline.buckets.map((_, i) => String(timeline.startMs + i * timeline.bucketMs));
  drawChart(canvas, {
    type: "bar",
    data: {
      labels,
      datasets: TIMELINE_OUTCOMES.map((o, k) => ({
        label: o.label,
        data: timeline.buckets.map((bucket) => bucket[k] ?? 0),
        backgroundColor: o.color,
        stack: "outcomes",
        barPercentage: 1,
        categoryPercentage: 1,
      })),
    },
    options: {
      maintainAspectRatio: false,
      plugins: {
        marks: { marks: [...marks], startMs: timeline.startMs, bucketMs: timeline.bucketMs },
        legend: { labels: { boxWidth: 12 } },
      },
      scales: {
        x: {
          stacked: true,
          title: {
            display: true,
            text: `ms from the event (each bar: ${timeline.bucketMs} ms of requests offered)`,
          },
          ticks: { maxTicksLimit: 8 },
        },
        y: { stacked: true, title: { display: true, text: "requests" } },
      },
    },
  });
}

/** The marks of a timeline, in words: the event itself, then what its marks say happened. */
export function timelineMarks(timeline: Timeline, event: string): Mark[] {
  const marks: Mark[] = [{ atMs: 0, label: event }];
  if (timeline.marks.exitMs !== undefined) marks.push({ atMs: timeline.marks.exitMs, label: "exit" });
  if (timeline.marks.listenersClosedMs !== undefined)
    marks.push({ atMs: timeline.marks.listenersClosedMs, label: "listeners closed" });
  if (timeline.marks.recoveredMs !== undefined)
    marks.push({ atMs: timeline.marks.recoveredMs, label: "serving again" });
  return marks;
}
