import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REQUIREMENT_IDS } from "../requirements.ts";
import { CHECK_FILES } from "./registry.ts";

describe("check registry", () => {
  it.each(REQUIREMENT_IDS)("%s is checked by a file that declares it", (id) => {
    const text = readFileSync(new URL(CHECK_FILES[id], import.meta.url), "utf8");
    expect(text).toMatch(new RegExp(`check\\(\\s*"${id}"`));
  });
});
