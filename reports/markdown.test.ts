import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kitRoot } from "../common/paths.ts";
import type { BenchResult } from "../results/bench.ts";
import type { ConformanceReport } from "../results/conformance.ts";
import { benchCsv, conformanceCsv, csvField } from "./csv.ts";
import { cell, renderMarkdown } from "./markdown.ts";

const fixtures = join(kitRoot(), "dashboard", "test", "fixtures");
const read = <T>(path: string) => JSON.parse(readFileSync(join(fixtures, path), "utf8")) as T;
const reference = read<ConformanceReport>("conformance/reference.json");
const control = read<ConformanceReport>("conformance/round-robin-control.json");
const runA = read<BenchResult>("bench/run-a.json");
const hostile = read<BenchResult>("bench/run-b-hostile-name.json");

describe("renderMarkdown", () => {
  const md = renderMarkdown({
    conformance: [{ report: reference }, { report: control }],
    bench: [{ result: runA }],
    skipped: [{ file: "bench/x.json", reason: "not a bench result" }],
  });

  it("leads with each target's gate and a matrix of every requirement by target", () => {
    expect(md).toMatch(
      /^# bustbench results\n\n## Conformance\n\n\| Requirement \| Level \| reference \| round-robin-control \|/,
    );
    expect(md).toContain("| PORT-1 | MUST | ✓ PASS | ✗ FAIL |");
    expect(md).toMatch(/### round-robin-control\n\n\*\*Gate: FAIL \(PORT-1, PORT-2\)\*\*/);
    expect(md).toMatch(/### reference\n\n\*\*Gate: PASS\*\*/);
  });

  it("shows each failure with its requirement, expected and actual", () => {
    const failures = md.slice(md.indexOf("#### Failures"));
    expect(failures).toMatch(/```text\nPORT-1 \(MUST\)[^\n]*\n {2}requirement: /);
    expect(failures).toMatch(/\n {2}expected: {4}.+\n {2}actual: {6}.+/);
  });

  it("lists the benchmark points with cost per request, and the files it could not read", () => {
    expect(md).toContain("## Benchmark");
    expect(md).toMatch(/\| Target \| Workers \| Route \| RPS \| µs CPU\/req \|/);
    expect(md).toMatch(/\| reference \| 1 \| root \| [\d,]+ /);
    expect(md).toContain("- `bench/x.json`: not a bench result");
  });

  it("keeps every table row's column count whatever the names hold", () => {
    const text = renderMarkdown({ conformance: [], bench: [{ result: hostile }], skipped: [] });
    const rows = text.split("\n").filter((line) => line.startsWith("| "));
    const columns = (line: string) => line.split(/(?<!\\)\|/).length;
    expect(new Set(rows.map(columns)).size).toBe(1);
    expect(text).not.toMatch(/<script|<img/i);
  });

  it("escapes cells and never leaves one empty", () => {
    expect(cell("a|b\n<c>")).toBe("a\\|b &lt;c&gt;");
    expect(cell("")).toBe(" ");
  });
});

describe("CSV", () => {
  it("quotes what needs quoting and defuses formulas", () => {
    expect(csvField('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvField("=cmd()")).toBe("'=cmd()");
    expect(csvField(-3)).toBe("-3");
  });

  it("has one row per point and per requirement, all with the header's width", () => {
    for (const [csv, rows] of [
      [benchCsv([runA]), runA.points.length],
      [conformanceCsv([reference, control]), reference.requirements.length + control.requirements.length],
    ] as const) {
      const lines = csv.trimEnd().split("\r\n");
      expect(lines).toHaveLength(rows + 1);
      const width = (line: string) => line.replace(/"(?:[^"]|"")*"/g, "x").split(",").length;
      expect(new Set(lines.map(width)).size).toBe(1);
    }
  });
});
