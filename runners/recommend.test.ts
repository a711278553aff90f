import { describe, expect, it } from "vitest";
import { recommendWorkers } from "./recommend.ts";
import type { Point } from "./result.ts";

function point(workers: number, rps: number, flags: Point["flags"] = []): Point {
  return {
    role: "target",
    targetName: "t",
    workers,
    route: "root",
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

  it("needs two counts", () => {
    expect(recommendWorkers([point(1, 100)], ["root"], 2)[0]?.workers).toBeNull();
  });
});
