import { describe, expect, it } from "vitest";
import type { LifecycleEventResult, LifecycleResult, LifecycleRun } from "./lifecycle.ts";
import { LIFECYCLE_COLUMNS, lifecycleRows } from "./lifecycle-derive.ts";

const run = (over: Partial<LifecycleRun> = {}): LifecycleRun => ({
  sent: 100,
  answered: 90,
  refused: 8,
  lost: 2,
  hung: 0,
  recoveryMs: 120,
  exit: null,
  shutdownLine: false,
  leftRunning: [],
  portAnsweredAfter: null,
  tcpMigrateReq: 0,
  ...over,
});

const event = (over: Partial<LifecycleEventResult>): LifecycleEventResult => ({
  id: "worker-kill",
  label: "a worker killed (SIGKILL)",
  tool: "the OOM killer, a crash",
  stops: false,
  runs: [run()],
  ...over,
});

const result = (events: LifecycleEventResult[]): LifecycleResult => ({
  schemaVersion: 2,
  kind: "lifecycle",
  kitVersion: "0.0.0",
  startedAt: "2026-12-02T00:00:00.000Z",
  finishedAt: null,
  complete: true,
  target: { name: "t", manifest: "t.json" },
  host: { kernel: "6", cpus: 2, tcpMigrateReq: 0 },
  options: { workers: 2, ratePerS: 2000, runs: 1, hungAfterMs: 1000, migrateReq: false },
  events,
});

describe("lifecycleRows", () => {
  it("gives one cell per column, with each run's count where there are several", () => {
    const [row] = lifecycleRows(result([event({ runs: [run(), run({ lost: 0, answered: 92 })] })]));
    expect(row).toHaveLength(LIFECYCLE_COLUMNS.length);
    expect(row?.slice(2, 6)).toEqual(["182 (90, 92)", "16 (8, 8)", "2 (2, 0)", "0 (0, 0)"]);
    expect(row?.[6]).toBe("recovered in 120 ms, 120 ms");
  });

  it("says why an event was not measured instead of counting nothing", () => {
    const [row] = lifecycleRows(result([event({ runs: [], notApplicable: "one process serves" })]));
    expect(row).toEqual([
      "a worker killed (SIGKILL)",
      "the OOM killer, a crash",
      "-",
      "-",
      "-",
      "-",
      "not applicable: one process serves",
      "-",
    ]);
  });
});
