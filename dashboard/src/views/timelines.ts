import type { Timeline } from "../../../results/timeline.ts";
import { drawTimeline, timelineMarks } from "../charts/timeline-chart.ts";
import { el } from "../dom.ts";

/**
 * A grid of timelines, one figure each: requests per 50 ms by outcome around an event, drawn from the
 * run's own buckets once the page is in place.
 */
export function timelineGrid(
  idPrefix: string,
  items: ReadonlyArray<{ title: string; event: string; timeline: Timeline }>,
): HTMLElement | null {
  if (items.length === 0) return null;
  const figures = items.map((item, i) => {
    const id = `${idPrefix}-${i}`;
    queueMicrotask(() => {
      const canvas = document.getElementById(id) as HTMLCanvasElement | null;
      if (canvas) drawTimeline(canvas, item.timeline, timelineMarks(item.timeline, item.event));
    });
    return el("figure", { class: "chart timeline", attrs: { "data-testid": "timeline", "data-chart": id } }, [
      el("div", { class: "canvas-box short" }, [
        el("canvas", {
          attrs: { id, role: "img", "aria-label": `Requests by outcome over time: ${item.title}` },
        }),
      ]),
      el("figcaption", { text: item.title }),
    ]);
  });
  return el("div", { class: "charts timelines" }, figures);
}
