import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyRoles } from "./roles.ts";
import {
  fileShapeStore,
  QUIET_FLOOR_MS,
  quietPeriodMs,
  REPLACEMENT_QUIET_FLOOR_MS,
  ShapeWatch,
  shapeKey,
  shapeSignature,
} from "./settle.ts";

describe("the quiet period", () => {
  it("is never under the floor, and grows with the time to ready and the longest pause", () => {
    expect(quietPeriodMs(100, 0)).toBe(QUIET_FLOOR_MS);
    expect(quietPeriodMs(4_000, 0)).toBe(8_000);
    expect(quietPeriodMs(100, 1_000)).toBe(QUIET_FLOOR_MS);
    expect(quietPeriodMs(100, 3_000)).toBe(6_000);
  });
});

describe("ShapeWatch", () => {
  it("is quiet only once nothing changed for the quiet period", () => {
    const watch = new ShapeWatch();
    expect(watch.quiet(0, 0)).toBe(false);
    watch.see("a", 0);
    expect(watch.quiet(QUIET_FLOOR_MS - 1, 0)).toBe(false);
    expect(watch.quiet(QUIET_FLOOR_MS, 0)).toBe(true);
    // The same shape seen again is no change.
    watch.see("a", 1_000);
    expect(watch.quiet(QUIET_FLOOR_MS, 0)).toBe(true);
  });

  it("starts again at each change, and a long pause between changes lengthens the wait", () => {
    const watch = new ShapeWatch();
    watch.see("one worker", 0);
    watch.see("two workers", 2_000);
    // Quiet only after max(2.5 s, 2 x 2 s) from the last change: workers that come 2 s apart are awaited.
    expect(watch.quiet(2_000 + 3_999, 0)).toBe(false);
    expect(watch.quiet(2_000 + 4_000, 0)).toBe(true);
    expect(watch.changedAt).toBe(2_000);
  });

  it("goes on across looks: unchanged since it settled is quiet at once, and the time unwatched is no pause", () => {
    const watch = new ShapeWatch();
    watch.see("two workers", 0);
    expect(watch.quiet(QUIET_FLOOR_MS, 0)).toBe(true);
    // A later look (the next check of a group) at the same launch: nothing changed, settled at once.
    watch.resume();
    watch.see("two workers", 20_000);
    expect(watch.quiet(20_000, 0)).toBe(true);
    // A change seen after a time unwatched is timed from then, and that time does not lengthen the wait.
    watch.resume();
    watch.see("three workers", 40_000);
    expect(watch.quiet(40_000 + QUIET_FLOOR_MS - 1, 0)).toBe(false);
    expect(watch.quiet(40_000 + QUIET_FLOOR_MS, 0)).toBe(true);
    // Watched without a gap again, a pause between two changes counts as before.
    watch.see("four workers", 44_000);
    expect(watch.quiet(44_000 + 7_999, 0)).toBe(false);
    expect(watch.quiet(44_000 + 8_000, 0)).toBe(true);
  });

  it("takes a higher floor where one is asked for (a replacement)", () => {
    const watch = new ShapeWatch();
    watch.see("a", 0);
    expect(watch.quiet(QUIET_FLOOR_MS, 0, REPLACEMENT_QUIET_FLOOR_MS)).toBe(false);
    expect(watch.quiet(REPLACEMENT_QUIET_FLOOR_MS, 0, REPLACEMENT_QUIET_FLOOR_MS)).toBe(true);
  });
});

describe("shapeSignature", () => {
  const tree = [
    { pid: 10, ppid: 1, cmdline: ["primary"] },
    { pid: 11, ppid: 10, cmdline: ["worker"] },
    { pid: 12, ppid: 10, cmdline: ["worker"] },
  ];
  const socket = (inode: number, holders: number[]) => ({
    inode,
    family: 4 as const,
    address: "127.0.0.1",
    port: 5000,
    acceptQueue: 0,
    holders,
  });

  it("changes when a process starts serving, and not when only queues move", () => {
    const one = [socket(1, [11])];
    const two = [socket(1, [11]), socket(2, [12])];
    const before = shapeSignature(classifyRoles(10, tree, one), one);
    const after = shapeSignature(classifyRoles(10, tree, two), two);
    expect(after).not.toBe(before);
    const queued = [{ ...socket(1, [11]), acceptQueue: 7 }];
    expect(shapeSignature(classifyRoles(10, tree, queued), queued)).toBe(before);
  });
});

describe("shape keys and the file store", () => {
  it("knows a start by the options that shape it, not by its port or placement", () => {
    expect(shapeKey({ workers: 2, port: 1234 })).toBe(
      shapeKey({ workers: 2, port: 5678, prefix: ["taskset"] }),
    );
    expect(shapeKey({ workers: 2 })).not.toBe(shapeKey({ workers: 4 }));
    expect(shapeKey({ workers: 4, debug: true })).not.toBe(shapeKey({ workers: 4 }));
  });

  it("keeps the last shape put for a key, across stores on the same file, and skips a cut line", () => {
    const path = join(mkdtempSync(join(tmpdir(), "bustbench-shapes-")), "shapes");
    const a = fileShapeStore(path);
    expect(a.get("k")).toBeUndefined();
    a.put("k", { serving: 1 });
    writeFileSync(path, '{"key":"k","serv', { flag: "a" });
    writeFileSync(path, "\n", { flag: "a" });
    const b = fileShapeStore(path);
    expect(b.get("k")).toEqual({ serving: 1 });
    b.put("k", { serving: 3 });
    expect(a.get("k")).toEqual({ serving: 3 });
    expect(a.get("other")).toBeUndefined();
  });
});
