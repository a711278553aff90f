import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { OPTION_DOCS, renderOptionDocs } from "./option-docs.ts";

it("docs/options.md is generated from the CLI's option tables (make docs)", () => {
  expect(readFileSync(OPTION_DOCS, "utf8")).toBe(renderOptionDocs());
});
