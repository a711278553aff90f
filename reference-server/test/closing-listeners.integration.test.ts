import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { liveDescendants, stillAlive } from "../../common/probes/procfs.ts";
import { sleep } from "../../common/sleep.ts";
import { freePort } from "../../targets/instance.ts";
import { launch, reapAll } from "../../targets/launch.ts";
import { type LoadAcross, loadAcross } from "../../targets/shutdown-loss.ts";
import { REFERENCE_CLI, startReference } from "./start-reference.ts";

/**
 * How the reference closes its SO_REUSEPORT listeners (src/drain-listener.ts, listener-helper/README.md),
 * under a steady stream of fresh connections: the kernel's own behaviour, on loopback.
 */
const HOST = "127.0.0.1";
/**
 * Node closing a listener unready lost 0 to 9 connections per stop at this rate on a 2-CPU host (the
 * queue is often empty at that instant): each case stops RUNS times, so that it fails where losing is
 * only likely. The load goes on until the stop is over (the processes that close listeners are gone),
 * plus a moment, however long that takes on a slow host; `durationMs` only bounds it.
 */
const LOAD = { ratePerS: 5_000, durationMs: 15_000, eventAtMs: 500 } as const;
const AFTER_MS = 200;
/** The last CPU, where there are two or more; on one CPU the target shares it with the loader anyway. */
const ONE_CPU = availableParallelism() > 1 ? availableParallelism() - 1 : undefined;
const RUNS = 3;
const UNREADY = /closed its listener unready/;

afterEach(async () => {
  await reapAll();
});

describe("reference server, closing its listeners", () => {
  it("loses no connection when the whole instance stops: new ones are refused, queued ones answered", async () => {
    let refusedWhileListening = 0;
    for (let run = 1; run <= RUNS; run++) {
      const { proc, port } = await startReference(["--workers", "4"]);
      const load = await loadAcross({ port, proc }, HOST, "/", {
        ...LOAD,
        event: () => proc.signal("SIGTERM"),
        endAfter: { settled: proc.exit, ms: AFTER_MS },
        watchListeners: true,
      });
      expect((await proc.exit).code).toBe(0);
      expect(proc.lines.filter((line) => UNREADY.test(line.text))).toEqual([]);
      expect({ run, lost: load.counts.lost, timedOut: load.counts.timedOut }).toEqual({
        run,
        lost: 0,
        timedOut: 0,
      });
      expect(load.listeners?.goneMs, "the load outlasted the listeners").not.toBeNull();
      refusedWhileListening += refusedBeforeClose(load);
    }
    // Refused by the helper's program, not by a port nobody listens on any more: a listener was seen
    // after the refusal. (Summed over the runs: the refusing window is tens of milliseconds.)
    expect(refusedWhileListening).toBeGreaterThan(0);
  });

  it.each<[string, string[], Record<string, string>]>([
    ["workers = 1", ["--workers", "1"], {}],
    ["debug", ["--workers", "4", "--debug"], {}],
    ["the macOS fallback", ["--workers", "4"], { BUSTAPI_PLATFORM: "darwin" }],
  ])(
    "loses no connection when one process serves and stops (%s): new ones are refused, queued ones answered",
    async (_mode, args, env) => {
      let refusedWhileListening = 0;
      for (let run = 1; run <= RUNS; run++) {
        // On one CPU of its own (the loader keeps the others): a queue builds at this rate, as it does
        // on a busy production host, and closing unready resets it (bench --workers 1 lost up to 1,023).
        const { proc, port } = await startReference(args, env, undefined, ONE_CPU);
        const load = await loadAcross({ port, proc }, HOST, "/", {
          ...LOAD,
          event: () => proc.signal("SIGTERM"),
          endAfter: { settled: proc.exit, ms: AFTER_MS },
          watchListeners: true,
        });
        expect((await proc.exit).code).toBe(0);
        expect(proc.lines.filter((line) => UNREADY.test(line.text))).toEqual([]);
        expect({ run, lost: load.counts.lost, timedOut: load.counts.timedOut }).toEqual({
          run,
          lost: 0,
          timedOut: 0,
        });
        refusedWhileListening += refusedBeforeClose(load);
      }
      expect(refusedWhileListening).toBeGreaterThan(0);
    },
  );

  it("hands a worker's queue to its siblings when it stops alone: nothing lost, nothing refused", async () => {
    const { proc, port } = await startReference(["--workers", "4"]);
    for (let run = 1; run <= RUNS; run++) {
      const [worker] = await liveDescendants(proc.pid);
      const from = proc.lines.length;
      const load = await loadAcross({ port, proc }, HOST, "/", {
        ...LOAD,
        event: () => process.kill(worker?.pid as number, "SIGTERM"),
        endAfter: { settled: exitOf(worker?.pid as number, worker?.startTicks), ms: AFTER_MS },
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
        endAfter: { settled: old.exit, ms: AFTER_MS },
      });
      expect((await old.exit).code).toBe(0);
      expect({ run, ...load.counts }).toEqual({ run, answered: load.sent, refused: 0, lost: 0, timedOut: 0 });
      next.signal("SIGTERM");
      expect((await next.exit).code).toBe(0);
    }
  });

  it("refuses nothing when its primary is killed beside the next instance under the same reaper", async () => {
    // A supervisor (systemd, tini) adopts the workers of a killed primary, and may have started the next
    // server on the port itself: that server's listener is held by a child of the same reaper, but it is
    // not a sibling of the orphaned workers, and refusing would refuse its connections too.
    for (let run = 1; run <= RUNS; run++) {
      const port = await freePort(HOST);
      const reaper = launch({
        command: "python3",
        args: [
          SUBREAPER,
          JSON.stringify([process.execPath, REFERENCE_CLI, "--workers", "2", "--port", String(port)]),
          JSON.stringify(["python3", NEXT_SERVER, HOST, String(port)]),
        ],
      });
      expect(await reaper.waitForLine(/http:\/\/\S+:\d+/, 10_000), reaper.tail().join("\n")).toBeDefined();
      expect(await reaper.waitForLine(/next server ready/, 10_000), reaper.tail().join("\n")).toBeDefined();
      const below = await liveDescendants(reaper.pid);
      const primary = below.find((p) => p.ppid === reaper.pid && p.cmdline.includes(REFERENCE_CLI));
      const workers = below.filter((p) => p.ppid === primary?.pid);
      expect(workers).toHaveLength(2);
      // A rate the one-process Python server keeps up with alone, once the old workers are gone.
      const load = await loadAcross({ port, proc: reaper }, HOST, "/", {
        ...LOAD,
        ratePerS: 1_000,
        event: () => process.kill(primary?.pid as number, "SIGKILL"),
        endAfter: { settled: Promise.all(workers.map((w) => exitOf(w.pid, w.startTicks))), ms: AFTER_MS },
      });
      expect({ run, ...load.counts }).toEqual({ run, answered: load.sent, refused: 0, lost: 0, timedOut: 0 });
      await reaper.reap();
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

const SUBREAPER = fileURLToPath(new URL("./subreaper.py", import.meta.url));
const NEXT_SERVER = fileURLToPath(new URL("./reuseport-server.py", import.meta.url));

/** Settles once this process (pid and start time, against pid reuse) is gone. */
async function exitOf(pid: number, startTicks?: number): Promise<void> {
  while (await stillAlive(pid, startTicks)) await sleep(10);
}

/** Requests refused while a LISTEN socket was still seen on the port (the kit looked after the refusal). */
function refusedBeforeClose(load: LoadAcross): number {
  const lastSeen = load.listeners?.lastSeenMs ?? Number.NEGATIVE_INFINITY;
  return load.requests.filter((r) => r.outcome === "refused" && r.doneMs < lastSeen).length;
}
