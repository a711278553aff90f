import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeDir } from "./make-dir.ts";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "bustbench-make-dir-"));
  made.push(dir);
  return dir;
}

describe("makeDir", () => {
  it("creates missing parents, and accepts a folder that exists", () => {
    const root = scratch();
    makeDir(join(root, "a", "b", "c"));
    makeDir(join(root, "a", "b", "c"));
    expect(statSync(join(root, "a", "b", "c")).isDirectory()).toBe(true);
  });

  it("fails on a file in the way", () => {
    const root = scratch();
    writeFileSync(join(root, "file"), "");
    expect(() => makeDir(join(root, "file"))).toThrow(/EEXIST/);
    expect(() => makeDir(join(root, "file", "sub"))).toThrow(/ENOTDIR/);
  });

  it("fails, rather than spinning, under /proc", () => {
    expect(() => makeDir("/proc/bustbench-no-such/sub")).toThrow(/ENOENT/);
  });
});
