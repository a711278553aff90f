import { Chart, type ChartConfiguration, type ChartType, type Plugin, registerables } from "chart.js";

Chart.register(...registerables);
Chart.defaults.animation = false; // deterministic drawing: screenshots and tests see the final chart
Chart.defaults.font.family = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif";

/** Vertical error bars (the 95% interval) drawn over a line dataset: chart.js has none of its own. */
export interface ErrorBars {
  datasetIndex: number;
  low: ReadonlyArray<number | null>;
  high: ReadonlyArray<number | null>;
}

declare module "chart.js" {
  interface PluginOptionsByType<TType extends ChartType> {
    errorBars?: { bars: ErrorBars[] };
  }
}

const errorBarsPlugin: Plugin<"line"> = {
  id: "errorBars",
  afterDatasetsDraw(chart, _args, options: { bars?: ErrorBars[] }) {
    const { ctx } = chart;
    for (const bar of options.bars ?? []) {
      const meta = chart.getDatasetMeta(bar.datasetIndex);
      if (meta.hidden) continue;
      const scale = chart.scales.y;
      if (!scale) continue;
      ctx.save();
      ctx.strokeStyle = (meta.dataset?.options?.borderColor as string | undefined) ?? "#333";
      ctx.lineWidth = 1.5;
      meta.data.forEach((element, i) => {
        const low = bar.low[i];
        const high = bar.high[i];
        if (low === null || low === undefined || high === null || high === undefined) return;
        const x = element.x;
        const yLow = scale.getPixelForValue(low);
        const yHigh = scale.getPixelForValue(high);
        ctx.beginPath();
        ctx.moveTo(x, yLow);
        ctx.lineTo(x, yHigh);
        ctx.moveTo(x - 5, yLow);
        ctx.lineTo(x + 5, yLow);
        ctx.moveTo(x - 5, yHigh);
        ctx.lineTo(x + 5, yHigh);
        ctx.stroke();
      });
      ctx.restore();
    }
  },
};
Chart.register(errorBarsPlugin);

/** Every chart on the page, by canvas id: the browser tests read what was drawn from here. */
export const charts = new Map<string, Chart>();

export function drawChart<T extends ChartType>(
  canvas: HTMLCanvasElement,
  config: ChartConfiguration<T>,
): Chart<T> {
  charts.get(canvas.id)?.destroy();
  const chart = new Chart<T>(canvas, config);
  charts.set(canvas.id, chart as unknown as Chart);
  return chart;
}

export const COLORS = {
  root: "#1f6feb",
  json: "#8957e5",
  io: "#bf3989",
  ideal: "#8b949e",
  published: "#d29922",
  compare: "#2da44e",
  flagged: "#cf222e",
  server: "#1f6feb",
  client: "#bf8700",
  p50: "#2da44e",
  p90: "#1f6feb",
  p99: "#8957e5",
  p999: "#cf222e",
} as const;

declare global {
  interface Window {
    /** For the browser tests: the chart.js instances by canvas id. */
    bustbenchCharts?: Map<string, Chart>;
  }
}
window.bustbenchCharts = charts;
