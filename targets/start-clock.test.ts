import { describe, expect, it } from "vitest";
import { launchCpuWaitMs, START_CLOCK_CAP, startTimeLeftMs, startTimeUsedMs } from "./start-clock.ts";

describe("the start clock", () => {
  it("counts the clock's time less the wait for a CPU", () => {
    expect(startTimeUsedMs(10_000, 7_000)).toBe(3_000);
    expect(startTimeUsedMs(1_000, 0)).toBe(1_000);
    expect(startTimeUsedMs(1_000, 2_000)).toBe(0);
    expect(startTimeUsedMs(1_000, -5)).toBe(1_000);
  });

  it("leaves what the wait took back, up to the cap on the clock", () => {
    expect(startTimeLeftMs(10_000, 7_000, 10_000)).toBe(7_000);
    expect(startTimeLeftMs(10_000, 0, 10_000)).toBe(0);
    expect(startTimeLeftMs(START_CLOCK_CAP * 10_000 - 1, START_CLOCK_CAP * 10_000, 10_000)).toBe(10_000);
    expect(startTimeLeftMs(START_CLOCK_CAP * 10_000, START_CLOCK_CAP * 10_000, 10_000)).toBe(0);
  });

  it("adds the started process's wait to the longest of those below it", () => {
    const waits = new Map([
      [100, 300],
      [101, 900],
      [102, 1_200],
    ]);
    expect(launchCpuWaitMs(100, waits)).toBe(1_500);
    expect(launchCpuWaitMs(100, new Map([[100, 40]]))).toBe(40);
    expect(launchCpuWaitMs(100, new Map([[101, 40]]))).toBe(40);
    expect(launchCpuWaitMs(100, new Map())).toBe(0);
  });
});
