import { describe, expect, it } from "vitest";
import type { FixedRateResult, Point } from "./bench.ts";
import {
  fixedRateAdvice,
  fixedRateVerdict,
  goalText,
  pointLabel,
  rpsText,
  spreadOf,
  targetLabel,
} from "./derive.ts";

const point = (rps: number[]) =>
  ({
    runs: rps.map((r) => ({ rps: r })),
    summary: { rps: { median: rps[Math.floor(rps.length / 2)], ci95: { low: 1000, high: 1400 } } },
  }) as unknown as Point;

describe("the derived figures every renderer shows", () => {
  it("labels a point one way everywhere", () => {
    const base = { role: "baseline" as const, targetName: "bare", workers: 1, route: "root" as const };
    const target = { ...base, role: "target" as const, targetName: "reference", workers: 2 };
    expect(pointLabel(target)).toBe("2w root");
    expect(pointLabel(base)).toBe("baseline 1w root");
    expect(pointLabel(base, { target: true })).toBe("bare (baseline) 1w root");
    expect(targetLabel(target)).toBe("reference");
  });

  it("shows the runs' range below 5 runs, the 95% interval from 5 on, and says when there is one run", () => {
    expect(spreadOf(point([1100, 1200, 1300]))).toEqual({ low: 1100, high: 1300, kind: "range" });
    expect(spreadOf(point([990, 995, 1000, 1005, 1010]))).toEqual({ low: 1000, high: 1400, kind: "ci95" });
    expect(rpsText(point([1100, 1200, 1300]))).toBe("1,200 (1,100–1,300)");
    expect(rpsText(point([1100, 1200, 1200, 1250, 1300]))).toBe("1,200 ± 200");
    expect(rpsText(point([1200]))).toBe("1,200 (1 run)");
  });

  it("says why a goal was not judged instead of a verdict", () => {
    expect(goalText({ route: "root", met: null, ratio: null, reason: "needs 2 CPUs" })).toBe(
      "not judged (needs 2 CPUs)",
    );
    expect(goalText({ route: "root", met: false, ratio: 0.9, reason: "0.9x" })).toBe("NOT met (0.9x)");
  });
});

describe("fixedRateVerdict: a row is the server's only if the client kept its schedule", () => {
  const fixed = (
    lagP50: number,
    lagP99: number,
    p50: number,
    p99: number,
    achieved = 1000,
  ): FixedRateResult =>
    ({
      fraction: 0.5,
      targetRatePerS: 1000,
      achievedRatePerS: achieved,
      latencyMs: { p50, p90: p99, p99, p999: p99, max: p99 },
      sendLagMs: { p50: lagP50, p90: lagP99, p99: lagP99, p999: lagP99, max: lagP99 },
    }) as FixedRateResult;

  it("keeps a row whose client lag is a small part of the tail and nothing at the median", () => {
    expect(fixedRateVerdict(fixed(0.002, 0.05, 0.1, 1.2))).toBeNull();
  });

  it("refuses a row whose tail is the client's", () => {
    expect(fixedRateVerdict(fixed(900, 4694, 1956.9, 4694))).toBe(
      "not measured: the client fell 4694.0 ms behind (p99)",
    );
  });

  it("refuses a row whose median already carries client lag, or whose rate was not offered", () => {
    expect(fixedRateVerdict(fixed(0.5, 0.6, 1, 10))).toMatch(/^not measured: /);
    expect(fixedRateVerdict(fixed(0.001, 0.01, 1, 10, 800))).toBe(
      "not measured: the client fell 0.010 ms behind (p99), offered 800/s",
    );
  });

  it("says what would fix it, naming the loader's CPUs", () => {
    expect(fixedRateAdvice([0])).toMatch(/on its CPU 0, .*--cpus loader=.*--load-host/);
    expect(fixedRateAdvice(null)).toMatch(/on the shared CPUs/);
  });
});
