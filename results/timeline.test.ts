import { describe, expect, it } from "vitest";
import { bucketTimeline, lossSpan } from "./timeline.ts";

describe("bucketTimeline", () => {
  it("counts each request in the bucket it was offered in, by outcome, from before the event to after", () => {
    const timeline = bucketTimeline(
      [
        { sentMs: -120, outcome: "answered" },
        { sentMs: -10, outcome: "answered" },
        { sentMs: 0, outcome: "refused" },
        { sentMs: 49.9, outcome: "lost" },
        { sentMs: 51, outcome: "timedOut" },
        { sentMs: 160, outcome: "refused" },
      ],
      { exitMs: 120.4 },
    );
    expect(timeline).toEqual({
      bucketMs: 50,
      startMs: -150,
      buckets: [
        [1, 0, 0, 0], // -150..-100
        [0, 0, 0, 0],
        [1, 0, 0, 0], // -50..0
        [0, 1, 1, 0], // 0..50
        [0, 0, 0, 1],
        [0, 0, 0, 0],
        [0, 1, 0, 0], // 150..200
      ],
      marks: { exitMs: 120 },
    });
  });

  it("keeps every request: the buckets add up to the load", () => {
    const outcomes = ["answered", "refused", "lost", "timedOut"] as const;
    const requests = Array.from({ length: 1000 }, (_, i) => ({
      sentMs: i * 1.3 - 400,
      outcome: outcomes[i % 4] ?? "answered",
    }));
    const total = bucketTimeline(requests)
      .buckets.flat()
      .reduce((sum, n) => sum + n, 0);
    expect(total).toBe(1000);
  });

  it("is empty for no requests", () => {
    expect(bucketTimeline([])).toEqual({ bucketMs: 50, startMs: 0, buckets: [], marks: {} });
  });
});

describe("lossSpan", () => {
  it("spans the buckets where requests were lost or timed out", () => {
    const timeline = bucketTimeline([
      { sentMs: -120, outcome: "answered" },
      { sentMs: 30, outcome: "lost" },
      { sentMs: 60, outcome: "refused" },
      { sentMs: 170, outcome: "timedOut" },
      { sentMs: 260, outcome: "refused" },
    ]);
    expect(lossSpan(timeline)).toEqual({ fromMs: 0, toMs: 200 });
  });

  it("is undefined when nothing was lost", () => {
    expect(lossSpan(bucketTimeline([{ sentMs: 10, outcome: "answered" }]))).toBeUndefined();
  });
});
