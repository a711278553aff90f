import type { BenchResult } from "./bench.ts";
import type { ConformanceReport } from "./conformance.ts";
import type { LifecycleResult } from "./lifecycle.ts";

/** BustAPI's own published figures: approximate, on other hardware. */
export interface PublishedDataset {
  name: string;
  source: string;
  hardware: string;
  approximate: boolean;
  note: string;
  points: Array<{ workers: number; root: number; json: number }>;
}

/** Everything the page shows, embedded in it as JSON: the page is a pure function of this. */
export interface ReportData {
  generatedAt: string;
  kitVersion: string;
  bench: Array<{ file: string; result: BenchResult }>;
  conformance: Array<{ file: string; report: ConformanceReport }>;
  /** What each way of stopping, killing or hanging a target cost (absent in pages built before it). */
  lifecycle?: Array<{ file: string; result: LifecycleResult }>;
  /** Result files that could not be read or failed their schema: shown, never silently dropped. */
  skipped: Array<{ file: string; reason: string }>;
  published: PublishedDataset;
  /** Titles and explanations of the warning codes (results/warnings.ts). */
  warnings: Record<string, { title: string; explanation: string }>;
}

export const DATA_ELEMENT_ID = "bustbench-data";
