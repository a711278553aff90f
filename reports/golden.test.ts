import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kitRoot } from "../common/paths.ts";
import type { BenchResult } from "../results/bench.ts";
import type { ConformanceReport } from "../results/conformance.ts";
import { renderBenchTable } from "./console/bench.ts";
import { renderConsole } from "./console/conformance.ts";
import { renderMarkdown } from "./markdown.ts";

/**
 * Golden output: fixed results in, the exact text out. A change to what the console or the
 * Markdown prints shows here as a diff; accept it on purpose with `vitest run -u reports/golden`.
 */
const fixtures = join(kitRoot(), "dashboard", "test", "fixtures");
const read = <T>(path: string) => JSON.parse(readFileSync(join(fixtures, path), "utf8")) as T;
const runA = read<BenchResult>("bench/run-a.json");
const reference = read<ConformanceReport>("conformance/reference.json");
const control = read<ConformanceReport>("conformance/round-robin-control.json");

describe("golden output", () => {
  it("bench console table", async () => {
    await expect(renderBenchTable(runA, { json: "out/bench/run-a.json" })).toMatchFileSnapshot(
      "golden/bench-console.txt",
    );
  });

  it("conformance console table, a failing target with its failures re-listed", async () => {
    await expect(renderConsole(control, { width: 120 })).toMatchFileSnapshot(
      "golden/conformance-console.txt",
    );
  });

  it("Markdown summary", async () => {
    await expect(
      renderMarkdown({
        conformance: [{ report: reference }, { report: control }],
        bench: [{ result: runA }],
        skipped: [],
      }),
    ).toMatchFileSnapshot("golden/summary.md");
  });
});
