import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REQUIREMENT_IDS, REQUIREMENTS, RETIRED } from "./requirements.ts";
import { renderRequirements, updateSpec } from "./spec-markdown.ts";

describe("requirements table", () => {
  it("uses well-formed ids whose prefix is their area, none retired", () => {
    for (const id of REQUIREMENT_IDS) {
      expect(id).toMatch(/^[A-Z]+-\d+$/);
      expect(id.split("-")[0]).toBe(REQUIREMENTS[id].area);
      expect(RETIRED).not.toContain(id);
    }
  });
});

describe("SPEC.md", () => {
  it("holds the requirement list generated from requirements.ts (run `make spec` after editing it)", () => {
    const spec = readFileSync(new URL("../SPEC.md", import.meta.url), "utf8");
    expect(updateSpec(spec)).toBe(spec);
  });

  it("renders a quoted source and a reason for what is not in the source", () => {
    const text = renderRequirements({
      "X-1": { level: "MUST", area: "SPAWN", text: "t", source: { quote: "q" }, observed: "o" },
      "X-2": { level: "SHOULD", area: "SPAWN", text: "u", source: { notInSource: "why" }, observed: "p" },
    });
    expect(text).toBe(
      '### SPAWN\n\n#### X-1 (MUST)\n\nt\n\n- Source: "q"\n- Observed: o\n\n#### X-2 (SHOULD)\n\nu\n\n- Source: Not in the source: why\n- Observed: p\n',
    );
  });
});
