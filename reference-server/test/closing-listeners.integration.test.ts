import { afterEach, describe, expect, it } from "vitest";
import { liveDescendants } from "../../common/probes/procfs.ts";
import { reapAll } from "../../targets/launch.ts";
import { loadAcross } from "../../targets/shutdown-loss.ts";
import { startReference } from "./start-reference.ts";

/**
 * How the reference closes its SO_REUSEPORT listeners (drain-listener.ts, SPEC.md: the reference's
 * choices), under a steady stream of fresh connections: the kernel's own behaviour, on loopback.
 */
const HOST = "127.0.0.1";
/**
 * Node closing a listener unready lost 0 to 9 connections per stop at this rate on a 2-CPU host (the
 * queue is often empty at that instant): each case stops RUNS times, so that it fails where losing is
 * only likely.
 */
const LOAD = { ratePerS: 5_000, durationMs: 1_000, eventAtMs: 500 } as const;
const RUNS = 3;
const UNREADY = /closed its listener unready/;

afterEach(async () => {
  await reapAll();
});

describe("reference server, closing its listeners", () => {
  it("loses no connection when the whole instance stops: new ones are refused, queued ones answered", async () => {
    for (let run = 1; run <= RUNS; run++) {
      const { proc, port } = await startReference(["--workers", "4"]);
      const load = await loadAcross({ port, proc }, HOST, "/", {
        ...LOAD,
        event: () => proc.signal("SIGTERM"),
      });
      expect((await proc.exit).code).toBe(0);
      expect(proc.lines.filter((line) => UNREADY.test(line.text))).toEqual([]);
      expect({ run, lost: load.counts.lost, timedOut: load.counts.timedOut }).toEqual({
        run,
        lost: 0,
        timedOut: 0,
      });
      expect(load.counts.refused).toBeGreaterThan(0);
    }
  });

  it("hands a worker's queue to its siblings when it stops alone: nothing lost, nothing refused", async () => {
    const { proc, port } = await startReference(["--workers", "4"]);
    for (let run = 1; run <= RUNS; run++) {
      const [worker] = await liveDescendants(proc.pid);
      const from = proc.lines.length;
      const load = await loadAcross({ port, proc }, HOST, "/", {
        ...LOAD,
        event: () => process.kill(worker?.pid as number, "SIGTERM"),
      });
      expect(await proc.waitForLine(/listening \(respawned\)/, 5_000, from)).toBeDefined();
      expect({ run, ...load.counts }).toEqual({ run, answered: load.sent, refused: 0, lost: 0, timedOut: 0 });
    }
  });

  it("refuses nothing when the next instance shares the port: the old one's queues move to it", async () => {
    for (let run = 1; run <= RUNS; run++) {
      const { proc: old, port } = await startReference(["--workers", "4"]);
      const { proc: next } = await startReference(["--workers", "2", "--port", String(port)]);
      const load = await loadAcross({ port, proc: old }, HOST, "/", {
        ...LOAD,
        event: () => old.signal("SIGTERM"),
      });
      expect((await old.exit).code).toBe(0);
      expect({ run, ...load.counts }).toEqual({ run, answered: load.sent, refused: 0, lost: 0, timedOut: 0 });
      next.signal("SIGTERM");
      expect((await next.exit).code).toBe(0);
    }
  });

  it("without python3 closes as Node does, says so once, and still exits 0", async () => {
    const { proc } = await startReference(["--workers", "2"], { PATH: "/nonexistent" });
    proc.signal("SIGTERM");
    expect((await proc.exit).code).toBe(0);
    const told = proc.lines.filter((line) => UNREADY.test(line.text));
    expect(told.map((line) => [line.stream, line.text.replace(/\d+/, "PID")])).toEqual([
      [
        "stderr",
        "[bustbench] worker PID closed its listener unready (python3 not found): connections queued on it may have been reset",
      ],
    ]);
  });
});
