import type { Count, Integer, NonNegative, PositiveCount } from "./units.ts";

/** How an open-loop request ended. */
export type TimelineOutcome = "answered" | "refused" | "lost" | "timedOut";

/**
 * The requests of an open-loop load, by when each was offered, in buckets around an event: what a stop,
 * a kill or a hang did in time (when refusals began, how long a hung worker held its share, whether
 * losses bunched at the exit), where the counts alone say only how much.
 */
export interface Timeline {
  /** The width of a bucket, in milliseconds. */
  bucketMs: PositiveCount;
  /** Where the first bucket starts, in milliseconds from the event (negative: before it). */
  startMs: Integer;
  /** Per bucket: requests answered, refused, lost and timed out (hung), in that order. */
  buckets: Array<[Count, Count, Count, Count]>;
  /** When things happened, in milliseconds from the event. */
  marks: {
    /** The started process exited. */
    exitMs?: NonNegative;
    /** No listener was left on the port. */
    listenersClosedMs?: NonNegative;
    /** The workers asked for served again (a worker replaced). */
    recoveredMs?: NonNegative;
  };
}

export const TIMELINE_ORDER: readonly TimelineOutcome[] = ["answered", "refused", "lost", "timedOut"];

/** Buckets narrow enough to see a stop (tens of milliseconds), few enough to draw on a phone. */
export const TIMELINE_BUCKET_MS = 50;

/** Pure: bucket each request by when it was offered (ms from the event). */
export function bucketTimeline(
  requests: ReadonlyArray<{ sentMs: number; outcome: TimelineOutcome }>,
  marks: Timeline["marks"] = {},
  bucketMs: number = TIMELINE_BUCKET_MS,
): Timeline {
  if (requests.length === 0) return { bucketMs, startMs: 0, buckets: [], marks };
  const first = Math.floor(Math.min(...requests.map((r) => r.sentMs)) / bucketMs);
  const last = Math.floor(Math.max(...requests.map((r) => r.sentMs)) / bucketMs);
  const buckets: Timeline["buckets"] = Array.from({ length: last - first + 1 }, () => [0, 0, 0, 0]);
  for (const r of requests) {
    const bucket = buckets[Math.floor(r.sentMs / bucketMs) - first];
    if (bucket)
      bucket[TIMELINE_ORDER.indexOf(r.outcome)] = (bucket[TIMELINE_ORDER.indexOf(r.outcome)] ?? 0) + 1;
  }
  const rounded: Timeline["marks"] = {};
  for (const [key, value] of Object.entries(marks) as Array<[keyof Timeline["marks"], number | undefined]>)
    if (value !== undefined) rounded[key] = Math.round(value);
  return { bucketMs, startMs: first * bucketMs, buckets, marks: rounded };
}

/**
 * Pure: when the lost and timed-out requests were offered, as a bucket span in ms from the event
 * (`toMs` is the end of the last such bucket); undefined when none was. Places a loss against the
 * timeline's marks in one line: before the listeners closed, at the exit, after it.
 */
export function lossSpan(timeline: Timeline): { fromMs: number; toMs: number } | undefined {
  const at = timeline.buckets.flatMap(([, , lost, timedOut], i) =>
    lost + timedOut > 0 ? [timeline.startMs + i * timeline.bucketMs] : [],
  );
  const first = at[0];
  const last = at.at(-1);
  return first === undefined || last === undefined
    ? undefined
    : { fromMs: first, toMs: last + timeline.bucketMs };
}
