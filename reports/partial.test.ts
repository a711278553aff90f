import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ConformanceReport } from "../results/conformance.ts";
import { renderConsole } from "./console/conformance.ts";
import { renderJunit } from "./junit.ts";
import { renderMarkdown } from "./markdown.ts";

/** The reference's full report, cut down to two requirements as `--only SPAWN-1,SPAWN-2` makes it. */
function partial(): ConformanceReport {
  const full = JSON.parse(
    readFileSync(new URL("../dashboard/test/fixtures/conformance/reference.json", import.meta.url), "utf8"),
  ) as ConformanceReport;
  const only = ["SPAWN-1", "SPAWN-2"];
  return {
    ...full,
    options: { ...full.options, only, of: 32 },
    requirements: full.requirements.filter((r) => only.includes(r.id)),
  };
}

describe("a partial run says so wherever its verdict is shown", () => {
  it("on the console's gate line", () => {
    const gate = renderConsole(partial())
      .split("\n")
      .find((line) => line.startsWith("Gate:"));
    expect(gate).toMatch(
      /^Gate: PASS \(partial run: 2 of 32 requirements checked: --only SPAWN-1,SPAWN-2\)\. /,
    );
  });

  it("in JUnit: the suite's name and a property", () => {
    const xml = renderJunit(partial());
    expect(xml).toContain('<testsuite name="reference (partial run: 2 of 32 requirements checked)"');
    expect(xml).toContain('<property name="only" value="SPAWN-1,SPAWN-2"/>');
  });

  it("in Markdown: the heading and the gate line", () => {
    const md = renderMarkdown({ conformance: [{ report: partial() }], bench: [], skipped: [] });
    expect(md).toContain("### reference (partial)");
    expect(md).toContain("(**partial run: 2 of 32 requirements checked**: SPAWN-1, SPAWN-2)");
  });

  it("and a full run says nothing of the kind", () => {
    const full = { ...partial(), options: { ...partial().options, only: null } };
    expect(renderConsole(full)).not.toContain("partial");
    expect(renderJunit(full)).not.toContain("partial");
  });
});
