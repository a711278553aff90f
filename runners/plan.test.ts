import { describe, expect, it } from "vitest";
import type { TargetDefinition } from "../targets/definition.ts";
import { resolveBenchOptions } from "./options.ts";
import { aboutDuration, describePlan, planBench, secondsLeft } from "./plan.ts";

const target = {
  name: "reference",
  routes: { root: "/", json: "/json", io: "/io?ms={ms}" },
} as unknown as TargetDefinition;
const bare = { name: "bare-node-http", routes: { root: "/", json: "/json" } } as unknown as TargetDefinition;

describe("planBench", () => {
  it("resolves auto workers and the routes without modifying the options it was given", () => {
    const given = resolveBenchOptions({ workers: "auto" });
    const before = JSON.stringify(given);
    const plan = planBench(given, target, bare, 2);
    expect(JSON.stringify(given)).toBe(before);
    expect(plan.options.workers).toEqual([1, 2, 4]);
    // 3 worker counts x 3 routes, and the baseline's 2 CPU-bound routes after the first count.
    expect(plan.points.map((p) => `${p.role[0]}${p.workers}${p.route}`)).toEqual([
      "t1root",
      "t1json",
      "t1io",
      "b1root",
      "b1json",
      "t2root",
      "t2json",
      "t2io",
      "t4root",
      "t4json",
      "t4io",
    ]);
  });

  it("says what it will do and how long it should take", () => {
    const plan = planBench(resolveBenchOptions({}), target, bare, 1);
    // Per point: 1.5 s start and stop, 2 s warm-up, 3 x 6 s, then 50% and 90% (1 + 6 s each).
    expect(plan.estimate.pointS).toBe(35.5);
    expect(plan.estimate.shutdownS).toBe(30);
    expect(plan.estimate.totalS).toBe(14 * 35.5 + 30);
    expect(describePlan(plan)).toEqual([
      "Plan: 14 point(s): reference at 1, 2, 4, 8 worker(s) on root, json, io (12), bare-node-http at 1 worker on root, json (2).",
      "  each point: a fresh start, 2 s warm-up, 3 run(s) of 6 s, then latency at 50% and 90% of its capacity (6 s each): about 36 s",
      "  then what a shutdown loses: 5 shutdown(s) per signal: about 30 s",
      "  expected in all: about 9 min",
    ]);
  });

  it("scales the time left by the pace the run has kept", () => {
    const plan = planBench(resolveBenchOptions({}), target, bare, 1);
    expect(secondsLeft(plan, 0, 0)).toBe(plan.estimate.totalS);
    // Half the points done in twice the time expected: the rest takes twice as long too.
    expect(secondsLeft(plan, 7, 2 * 7 * 35.5)).toBeCloseTo(2 * (7 * 35.5 + 30));
    expect(aboutDuration(45)).toBe("about 45 s");
    expect(aboutDuration(530)).toBe("about 9 min");
  });
});
