import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import type { BenchResult } from "../../results/bench.ts";
import type { LifecycleResult } from "../../results/lifecycle.ts";
import { benchSeries, lifecycleSeries } from "../../results/series.ts";
import { renderBmf } from "./bmf.ts";
import { BMF_SCHEMA, GITHUB_BENCHMARK_SCHEMA } from "./formats.ts";
import { renderGithubBenchmark } from "./github-benchmark.ts";

const fixture = <T>(path: string) =>
  JSON.parse(readFileSync(new URL(`../../dashboard/test/fixtures/${path}`, import.meta.url), "utf8")) as T;
const bench = fixture<BenchResult>("bench/run-a.json");
const lifecycle = fixture<LifecycleResult>("lifecycle/reference.json");
const figures = [...benchSeries(bench), ...lifecycleSeries(lifecycle)];

describe("the figures followed across commits", () => {
  it("come from the result's own figures: throughput with its runs' spread, CPU, latency at half capacity, memory", () => {
    const point = bench.points.find((p) => p.role === "target" && p.workers === 1 && p.route === "root");
    const name = `${bench.target.name}/1w/root`;
    const of = (measure: string) => figures.find((f) => f.benchmark === name && f.measure === measure);
    expect(of("throughput")).toEqual({
      benchmark: name,
      measure: "throughput",
      unit: "requests/s",
      better: "bigger",
      value: point?.summary.rps.median,
      lower: Math.min(...(point?.runs.map((r) => r.rps) ?? [])),
      upper: Math.max(...(point?.runs.map((r) => r.rps) ?? [])),
    });
    expect(of("cpu-per-request")?.value).toBe(10.8);
    const half = point?.fixedRate?.find((f) => f.fraction === 0.5);
    expect(of("latency")?.value).toBe((half?.latencyMs.p50 ?? 0) * 1e6);
    expect(of("uss-per-worker")?.value).toBeCloseTo(31981568 / 1048576, 6);
    // Baseline points are the comparison, not the product: not followed.
    expect(figures.some((f) => f.benchmark.includes("baseline"))).toBe(false);
  });

  it("give each lifecycle event its own series, the tcp_migrate_req=1 repeat apart", () => {
    const names = [...new Set(lifecycleSeries(lifecycle).map((f) => f.benchmark))];
    expect(names).toContain("reference/lifecycle/worker-kill");
    expect(names).toContain("reference/lifecycle/worker-kill+migrate");
    expect(new Set(names).size).toBe(lifecycle.events.length);
    const kill = lifecycleSeries(lifecycle).find(
      (f) => f.benchmark === "reference/lifecycle/worker-kill" && f.measure === "recovery",
    );
    expect(kill?.value).toBe(lifecycle.events.find((e) => e.id === "worker-kill")?.runs[0]?.recoveryMs);
  });
});

describe("Bencher Metric Format", () => {
  it("matches the published schema, one benchmark per point and event", () => {
    const bmf = JSON.parse(renderBmf(figures)) as Record<string, Record<string, { value: number }>>;
    const validate = new Ajv({ strict: false }).compile(BMF_SCHEMA);
    expect(validate(bmf), JSON.stringify(validate.errors)).toBe(true);
    expect(bmf[`${bench.target.name}/1w/root`]?.throughput?.value).toBe(
      bench.points.find((p) => p.role === "target" && p.workers === 1 && p.route === "root")?.summary.rps
        .median,
    );
    expect(Object.keys(bmf)).toContain("reference/lifecycle/sigterm-process");
  });
});

describe("github-action-benchmark", () => {
  it("splits the figures by direction, each file an array of its BenchmarkResult", () => {
    const validate = new Ajv({ strict: false }).compile(GITHUB_BENCHMARK_SCHEMA);
    const bigger = JSON.parse(renderGithubBenchmark(figures, "bigger")) as Array<{
      name: string;
      unit: string;
    }>;
    const smaller = JSON.parse(renderGithubBenchmark(figures, "smaller")) as Array<{
      name: string;
      unit: string;
    }>;
    for (const file of [bigger, smaller]) expect(validate(file), JSON.stringify(validate.errors)).toBe(true);
    expect(bigger.every((e) => e.unit === "requests/s")).toBe(true);
    expect(smaller.some((e) => e.unit === "requests/s")).toBe(false);
    expect(bigger.length + smaller.length).toBe(figures.length);
    expect(new Set([...bigger, ...smaller].map((e) => e.name)).size).toBe(figures.length);
  });
});
