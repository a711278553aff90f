import { describe, expect, it } from "vitest";
import { OutputLog } from "./output-log.ts";

function fill(log: OutputLog, count: number): void {
  for (let i = 0; i < count; i++) log.push({ stream: "stdout", atMs: i, text: `line ${i}` });
}

describe("OutputLog", () => {
  it("keeps everything while small", () => {
    const log = new OutputLog(2, 3);
    fill(log, 5);
    expect(log.all().map((l) => l.text)).toEqual(["line 0", "line 1", "line 2", "line 3", "line 4"]);
    expect(log.since(3).map((l) => l.index)).toEqual([3, 4]);
  });

  it("keeps the head and a window of the latest lines in a flood, with absolute indexes", () => {
    const log = new OutputLog(2, 3);
    fill(log, 100);
    expect(log.total).toBe(100);
    const kept = log.all().map((l) => l.index);
    expect(kept.slice(0, 2)).toEqual([0, 1]);
    expect(kept.at(-1)).toBe(99);
    expect(kept.length).toBeLessThanOrEqual(2 + 6);
    expect(log.dropped).toBe(100 - kept.length);
    expect(log.since(98).map((l) => l.text)).toEqual(["line 98", "line 99"]);
    expect(log.since(1).map((l) => l.index)).toEqual(kept.slice(1));
    expect(log.since(100)).toEqual([]);
  });

  it("returns the last lines", () => {
    const log = new OutputLog(2, 3);
    fill(log, 10);
    expect(log.last(2).map((l) => l.text)).toEqual(["line 8", "line 9"]);
  });
});
