import { describe, expect, it } from "vitest";
import { formatCpuList, parseCpuList } from "../common/cpu-list.ts";
import { describePlacement } from "../results/describe.ts";
import { defaultPlacement, parsePlacement } from "./placement.ts";

describe("CPU lists", () => {
  it("parses and formats ranges", () => {
    expect(parseCpuList("0-2,5")).toEqual([0, 1, 2, 5]);
    expect(parseCpuList("3")).toEqual([3]);
    expect(formatCpuList([5, 0, 1, 2])).toBe("0-2,5");
    expect(formatCpuList([1])).toBe("1");
  });

  it("refuses what is not a list", () => {
    expect(() => parseCpuList("a")).toThrow("--cpus: 'a' is not a CPU number or range (like 0-3)");
    expect(() => parseCpuList("3-1")).toThrow("'3-1' is not a CPU number or range");
  });
});

describe("placement", () => {
  it("gives the loader one CPU per thread, at most half, and the target the rest", () => {
    expect(defaultPlacement([0, 1], 1)).toEqual({ loaderCpus: [0], targetCpus: [1] });
    expect(defaultPlacement([0, 1, 2, 3, 4, 5, 6, 7], 2)).toEqual({
      loaderCpus: [0, 1],
      targetCpus: [2, 3, 4, 5, 6, 7],
    });
    expect(defaultPlacement([0, 1, 2, 3], 8)).toEqual({ loaderCpus: [0, 1], targetCpus: [2, 3] });
    expect(defaultPlacement([0], 1)).toBeNull();
  });

  it("reads --cpus, and refuses overlapping or unknown CPUs", () => {
    expect(parsePlacement("loader=0,target=1-3", [0, 1, 2, 3])).toEqual({
      loaderCpus: [0],
      targetCpus: [1, 2, 3],
    });
    expect(() => parsePlacement("loader=0-1,target=1", [0, 1])).toThrow("--cpus: CPU 1 is in both sets");
    expect(() => parsePlacement("loader=0,target=7", [0, 1])).toThrow(
      "--cpus: CPU 7 is not available here (available: 0-1)",
    );
    expect(() => parsePlacement("0,1", [0, 1])).toThrow("--cpus must look like loader=0,target=1-3");
  });
});

describe("describePlacement", () => {
  it("names both sets, or says the host was shared", () => {
    expect(describePlacement({ loaderCpus: [0], targetCpus: [1, 2, 3] }, 4)).toBe(
      "loader pinned to CPU 0, target to CPU 1-3",
    );
    expect(describePlacement(null, 2)).toBe("loader and target share the host's 2 CPU(s) (not pinned)");
  });
});
