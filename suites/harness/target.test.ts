import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { failedDependency, loadSuiteManifest, ROOT_FAILURES_ENV } from "./target.ts";

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

describe("failedDependency", () => {
  const file = join(mkdtempSync(join(tmpdir(), "bustbench-roots-")), "root-failures");
  afterEach(() => {
    delete process.env[ROOT_FAILURES_ENV];
  });

  it("names the root failure that leaves a dependent check nothing to judge", () => {
    writeFileSync(file, "HTTP-2 other\nSPAWN-1 workers-missing\n");
    process.env[ROOT_FAILURES_ENV] = file;
    expect(failedDependency("DIST-1")).toEqual({ id: "SPAWN-1", cause: "workers-missing" });
    // A requirement that depends on nothing, or on another cause, runs.
    expect(failedDependency("HTTP-2")).toBeUndefined();
    expect(failedDependency("SIGNAL-4")).toBeUndefined();
  });

  it("runs every check when nothing failed yet, or outside the CLI", () => {
    writeFileSync(file, "");
    process.env[ROOT_FAILURES_ENV] = file;
    expect(failedDependency("DIST-1")).toBeUndefined();
    delete process.env[ROOT_FAILURES_ENV];
    expect(failedDependency("DIST-1")).toBeUndefined();
  });
});
