import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kitRoot } from "../common/paths.ts";
import { renderBenchTable } from "../reports/console/bench.ts";
import { renderConsole } from "../reports/console/conformance.ts";
import { renderMarkdown } from "../reports/markdown.ts";
import type { BenchResult } from "../results/bench.ts";
import type { ConformanceReport } from "../results/conformance.ts";
import { literals, renderedFindings, userWordFindings } from "./user-words.ts";

const root = kitRoot();

describe("every text the kit prints is written for a user", () => {
  it("no string the kit can print names an issue, a source file of the kit or an identifier of its code", () => {
    expect(userWordFindings(root)).toEqual([]);
  });

  it("nor does the rendered console or Markdown", () => {
    const fixtures = join(root, "dashboard", "test", "fixtures");
    const read = <T>(path: string) => JSON.parse(readFileSync(join(fixtures, path), "utf8")) as T;
    const bench = read<BenchResult>("bench/run-a.json");
    const control = read<ConformanceReport>("conformance/round-robin-control.json");
    const text = [
      renderBenchTable(bench),
      renderConsole(control),
      renderMarkdown({ conformance: [{ report: control }], bench: [{ result: bench }], skipped: [] }),
    ].join("\n");
    expect(renderedFindings(root, text)).toEqual([]);
  });

  it("would catch each kind of word (the rules can fail)", () => {
    expect(
      renderedFindings(root, "see issue 13\nin runners/bench.ts\nmeasurePoint failed\nall good"),
    ).toEqual(["see issue 13", "in runners/bench.ts", "measurePoint failed"]);
    const source = ["const a = `x $", '{f(`y z`)} w`; // "not this one"\nimport { q } from "./q.ts";'].join(
      "",
    );
    expect(literals(source)).toEqual(["y z", "x   w"]);
  });
});
