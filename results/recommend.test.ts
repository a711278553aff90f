import { describe, expect, it } from "vitest";
import type { Point } from "./bench.ts";
import { recommendWorkers } from "./recommend.ts";

function point(
  workers: number,
  rps: number,
  flags: Point["flags"] = [],
  route: Point["route"] = "root",
): Point {
  return {
    role: "target",
    targetName: "t",
    workers,
    route,
    path: "/",
    workerPids: [],
    startedPid: 1,
    runs: [],
    summary: { rps: { median: rps } } as Point["summary"],
    placement: null,
    flags,
    saturated: "server",
  };
}

describe("recommendWorkers", () => {
  it("takes the knee: the fewest workers within 5% of the best", () => {
    const [root] = recommendWorkers(
      [point(1, 100), point(2, 195), point(4, 380), point(8, 390)],
      ["root"],
      4,
    );
    expect(root?.workers).toBe(4);
    expect(root?.efficiency).toMatchObject({ "1": 1, "2": 0.975, "4": 0.95 });
    expect(root?.advice[0]).toBe(
      '"scales linearly up to the core count": holds here (efficiency at least 95% up to 4 workers)',
    );
    expect(root?.advice[1]).toMatch(/no gain \(3%\): this route is CPU-bound, "match CPU cores" holds/);
  });

  it("says when the best is at the largest count measured", () => {
    const [root] = recommendWorkers([point(1, 100), point(2, 200)], ["root"], 4);
    expect(root?.workers).toBe(2);
    expect(root?.reason).toMatch(/it may scale further: measure more workers$/);
  });

  it("does not recommend from client-bound figures", () => {
    const [root] = recommendWorkers([point(1, 100), point(2, 120, ["client-bound"])], ["root"], 4);
    expect(root?.workers).toBeNull();
    expect(root?.reason).toMatch(/^cannot tell: the load generator ran out of CPU at 2 worker\(s\)/);
  });

  it("on one CPU for the target, recommends 1 and says what it cannot test", () => {
    const [root] = recommendWorkers([point(1, 100), point(2, 94), point(4, 88)], ["root"], 1);
    expect(root?.workers).toBe(1);
    expect(root?.advice[0]).toMatch(/not testable here, the target has 1 CPU/);
    expect(root?.advice[1]).toMatch(/no gain/);
  });

  it("on a blocking server, says the io route keeps scaling past the cores", () => {
    const io = [
      point(1, 95, [], "io"),
      point(2, 190, [], "io"),
      point(4, 370, [], "io"),
      point(8, 700, [], "io"),
    ];
    const [rec] = recommendWorkers(io, ["io"], 2, { connections: 50, waitMs: 10 });
    expect(rec?.workers).toBe(8);
    expect(rec?.advice[1]).toBe(
      'more workers than the target\'s 2 CPU(s): 268% more RPS: the I/O route keeps scaling past the cores, "2x cores if I/O-bound" holds here',
    );
  });

  it("on an async server, says one worker served all the load's concurrency allowed", () => {
    const capped: Point["flags"] = ["concurrency-bound"];
    const io = [point(1, 4900, capped, "io"), point(2, 4950, capped, "io"), point(4, 4920, capped, "io")];
    const [rec] = recommendWorkers(io, ["io"], 1, { connections: 50, waitMs: 10 });
    expect(rec?.workers).toBe(1);
    expect(rec?.reason).toMatch(
      /^1: one worker already served all the load could ask for \(50 connections \/ 10 ms = 5,000 RPS\)/,
    );
    expect(rec?.advice).toEqual([
      '"2x cores if I/O-bound": not needed by this server, whose workers do not block while a request waits',
    ]);
  });

  it("says from which count the load's concurrency capped a scaling io route", () => {
    const io = [
      point(1, 1000, [], "io"),
      point(2, 2000, [], "io"),
      point(4, 4800, ["concurrency-bound"], "io"),
    ];
    const [rec] = recommendWorkers(io, ["io"], 4, { connections: 50, waitMs: 10 });
    expect(rec?.workers).toBe(4);
    expect(rec?.reason).toMatch(
      /from 4 workers the load's concurrency capped the figures .*raise --connections/,
    );
  });

  it("needs two counts", () => {
    expect(recommendWorkers([point(1, 100)], ["root"], 2)[0]?.workers).toBeNull();
  });
});
