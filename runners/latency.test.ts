import * as hdr from "hdr-histogram-js";
import { describe, expect, it } from "vitest";
import { decodeHistogram, mergeHistograms, summarise } from "./latency.ts";

function encoded(values: number[]): string {
  const h = hdr.build({
    bitBucketSize: 64,
    autoResize: true,
    useWebAssembly: false,
    numberOfSignificantValueDigits: 5,
  });
  for (const v of values) h.recordValue(v);
  return hdr.encodeIntoCompressedBase64(h);
}

describe("latency histograms", () => {
  it("decodes and summarises a run", () => {
    const summary = summarise(decodeHistogram(encoded([1, 1, 1, 1, 1, 1, 1, 1, 2, 40])));
    expect(summary).toEqual({ p50: 1, p90: 2, p99: 40, p999: 40, max: 40, count: 10 });
  });

  it("merges runs before taking percentiles", () => {
    // One slow run and one fast run: the merged p50 is the fast value, the max the slow one.
    const merged = mergeHistograms([encoded(Array(90).fill(1)), encoded(Array(10).fill(50))]);
    expect(merged).toMatchObject({ p50: 1, p90: 1, p99: 50, max: 50, count: 100 });
  });

  it("has nothing to say about no runs", () => {
    expect(mergeHistograms([])).toBeUndefined();
  });
});
