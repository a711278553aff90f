import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSuiteManifest } from "./target.ts";

describe("loadSuiteManifest", () => {
  it("refuses an expect entry that names no requirement, in one line naming the key", () => {
    const path = join(mkdtempSync(join(tmpdir(), "bustbench-expect-")), "m.json");
    writeFileSync(
      path,
      JSON.stringify({
        name: "x",
        command: ["srv"],
        expect: [{ id: "NOPE-9", reason: "r", until: "2027-01-01" }],
      }),
    );
    expect(() => loadSuiteManifest(path)).toThrow(
      `${path}: expect[0].id: unknown requirement 'NOPE-9' (see SPEC.md)`,
    );
  });
});
