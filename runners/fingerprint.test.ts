import { describe, expect, it } from "vitest";
import type { HostIdentity } from "../results/bench.ts";
import { fingerprint } from "./fingerprint.ts";

const host: HostIdentity = {
  cpuModel: "Intel(R) Core(TM) i5-8365U",
  logicalCpus: 8,
  physicalCores: 4,
  memoryGiB: 16,
  kernel: "6.8.0",
  governor: "performance",
  mitigations: { meltdown: "Not affected", spectre_v2: "Mitigation: Enhanced IBRS" },
};

describe("fingerprint", () => {
  it("is stable, short, and ignores the order of mitigations", () => {
    const reordered = {
      ...host,
      mitigations: { spectre_v2: "Mitigation: Enhanced IBRS", meltdown: "Not affected" },
    };
    expect(fingerprint(host)).toMatch(/^[0-9a-f]{12}$/);
    expect(fingerprint(reordered)).toBe(fingerprint(host));
  });

  it.each([
    ["kernel", { kernel: "6.9.0" }],
    ["governor", { governor: "powersave" }],
    ["cores", { logicalCpus: 4 }],
    ["mitigations", { mitigations: { meltdown: "Vulnerable" } }],
  ])("changes with the %s", (_what, change) => {
    expect(fingerprint({ ...host, ...change })).not.toBe(fingerprint(host));
  });
});
