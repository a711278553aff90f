import { describe, expect, it } from "vitest";
import { RESULT_SCHEMAS, validateResult } from "./validate.ts";

/**
 * The validators compile on first use, so a schema that strict Ajv refuses would only fail when a user
 * reads a file of that version: every one is compiled here.
 */
describe("result validators", () => {
  it.each(Object.keys(RESULT_SCHEMAS))("%s compiles and judges a document", (key) => {
    const [kind, version] = key.split("-") as ["conformance" | "bench" | "lifecycle", string];
    const problems = validateResult(kind, Number(version), {});
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join("\n")).not.toMatch(/no schema/);
  });

  it("names a version it has no schema for", () => {
    expect(validateResult("bench", 99, {})).toEqual(["no schema for bench results of version 99"]);
  });
});
