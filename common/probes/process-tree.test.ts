import { describe, expect, it } from "vitest";
import { descendantsOf } from "./process-tree.ts";

describe("descendantsOf", () => {
  const table = [
    { pid: 1, ppid: 0 },
    { pid: 10, ppid: 1 },
    { pid: 11, ppid: 10 },
    { pid: 12, ppid: 10 },
    { pid: 13, ppid: 11 },
    { pid: 20, ppid: 1 },
  ];

  it("walks children and grandchildren, nearest first", () => {
    expect(descendantsOf(10, table).map((p) => p.pid)).toEqual([11, 12, 13]);
  });

  it("finds nothing below a leaf or an unknown pid", () => {
    expect(descendantsOf(13, table)).toEqual([]);
    expect(descendantsOf(999, table)).toEqual([]);
  });

  it("survives a cycle in the parent links", () => {
    expect(
      descendantsOf(5, [
        { pid: 5, ppid: 6 },
        { pid: 6, ppid: 5 },
      ]).map((p) => p.pid),
    ).toEqual([6]);
  });
});
