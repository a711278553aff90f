import * as hdr from "hdr-histogram-js";
import type { LatencySummary } from "../results/bench.ts";

/** autocannon's histograms: 64-bit buckets, values in milliseconds. */
const BIT_BUCKET_SIZE = 64;

export function decodeHistogram(base64: string): hdr.Histogram {
  return hdr.decodeFromCompressedBase64(base64, BIT_BUCKET_SIZE, false);
}

export function summarise(histogram: hdr.Histogram): LatencySummary {
  return {
    p50: histogram.getValueAtPercentile(50),
    p90: histogram.getValueAtPercentile(90),
    p99: histogram.getValueAtPercentile(99),
    p999: histogram.getValueAtPercentile(99.9),
    max: histogram.maxValue,
    count: histogram.totalCount,
  };
}

/**
 * Merges the raw histograms of several runs, then summarises once: averaging
 * per-run percentiles would be wrong (a p99 of p99s is no p99).
 */
export function mergeHistograms(encoded: readonly string[]): LatencySummary | undefined {
  if (encoded.length === 0) return undefined;
  const merged = hdr.build({
    bitBucketSize: BIT_BUCKET_SIZE,
    autoResize: true,
    useWebAssembly: false,
    numberOfSignificantValueDigits: 5,
  });
  for (const text of encoded) merged.add(decodeHistogram(text));
  return summarise(merged);
}
