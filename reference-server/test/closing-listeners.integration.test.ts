import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { liveDescendants, readProcess, stillAlive } from "../../common/probes/procfs.ts";
import { sleep } from "../../common/sleep.ts";
import { freePort } from "../../targets/instance.ts";
import { launch, reapAll } from "../../targets/launch.ts";
import { type LoadAcross, loadAcross, netstat, oneRequest } from "../../targets/shutdown-loss.ts";
import { REFERENCE_CLI, startReference } from "./start-reference.ts";

/**
 * How the reference closes its SO_REUSEPORT listeners (src/drain-listener.ts, listener-helper/README.md),
 * under a steady stream of fresh connections: the kernel's own behaviour, on loopback.
 */
const HOST = "127.0.0.1";
/**
 * Node closing a listener unready lost 0 to 9 connections per stop at 5,000 new connections/s on an
 * idle 2-CPU host (the queue is often empty at that instant): each case stops RUNS times, so that it
 * fails where losing is only likely. The rate is at most what this host serves the case's server at
 * (sustainableRate): a host that cannot keep up overflows the accept queue, and the kernel then drops
 * handshakes it had half done, whoever stops. The load goes on until the stop is over (the processes that
 * close listeners are gone), plus a moment, however long that takes on a slow host; `durationMs` only
 * bounds it.
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
    let ratePerS: number | undefined;
    for (let run = 1; run <= RUNS; run++) {
      const { proc, port } = await startReference(["--workers", "4"]);
      ratePerS ??= await sustainableRate(port);
      const load = await explainedLoad({ port, proc }, HOST, "/", {
        ...LOAD,
        ratePerS,
        event: () => proc.signal("SIGTERM"),
        endAfter: { settled: proc.exit, ms: AFTER_MS },
        watchListeners: true,
      });
      expect((await proc.exit).code).toBe(0);
      expect(proc.lines.filter((line) => UNREADY.test(line.text))).toEqual([]);
      expect({ run, ratePerS, lost: load.counts.lost, timedOut: load.counts.timedOut }, load.why).toEqual({
        run,
        ratePerS,
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

  it("loses no connection when the whole instance stops while its workers do not run for seconds", async () => {
    // A busy host can keep a worker from running for seconds just as it stops (a stop in CI beside CPU
    // hogs lost 421 connections while the helper waited 3 s at most; this is the one way found to lose
    // so many). Each worker is stopped (SIGSTOP) as soon as its listener helper starts, before the helper
    // refuses anything, so that connections queue on it; it runs again after STALL_MS. What queued must
    // wait for it and be answered. With the 3 s bound: 99 to 115 left queued, 3 runs of 3.
    const { proc, port } = await startReference(["--workers", "2"]);
    const ratePerS = await sustainableRate(port);
    const workers = (await liveDescendants(proc.pid)).filter((p) => p.ppid === proc.pid).map((p) => p.pid);
    expect(workers).toHaveLength(2);
    let stalls: Promise<Array<Stall | undefined>> = Promise.resolve([]);
    const load = await explainedLoad({ port, proc }, HOST, "/", {
      ...LOAD,
      ratePerS,
      timeoutMs: STALLED_REQUEST_TIMEOUT_MS,
      event: () => {
        proc.signal("SIGTERM");
        stalls = Promise.all(workers.map((pid) => stallWhenHelperStarts(pid, STALL_MS)));
      },
      endAfter: { settled: proc.exit, ms: AFTER_MS },
      watchListeners: true,
    });
    expect((await stalls).map(Boolean), "each worker's helper seen, and the worker stopped").toEqual([
      true,
      true,
    ]);
    expect((await proc.exit).code).toBe(0);
    expect(proc.lines.filter((line) => UNREADY.test(line.text)).map((line) => line.text)).toEqual([]);
    expect({ ratePerS, lost: load.counts.lost, timedOut: load.counts.timedOut }, load.why).toEqual({
      ratePerS,
      lost: 0,
      timedOut: 0,
    });
  });

  it("stops refusing when the next instance joins the port while a stopped worker's queue waits", async () => {
    // The wait for a stalled worker's queue can last seconds; a server started on the port meanwhile (a
    // deploy that does not wait) must not be refused all that time: the helper looks for it as it waits.
    const { proc: old, port } = await startReference(["--workers", "2"]);
    const workers = (await liveDescendants(old.pid)).filter((p) => p.ppid === old.pid).map((p) => p.pid);
    let stalls: Promise<Array<Stall | undefined>> = Promise.resolve([]);
    let next: ReturnType<typeof launch> | undefined;
    const load = await explainedLoad({ port, proc: old }, HOST, "/", {
      ...LOAD,
      // A rate the one-process Python server keeps up with alone.
      ratePerS: 1_000,
      timeoutMs: STALLED_REQUEST_TIMEOUT_MS,
      event: () => {
        old.signal("SIGTERM");
        let stopped = 0;
        // The next server once both workers are stopped, and their helpers (which run on) have had time to
        // refuse: 0.2 s, against 20 to 40 ms for python3 to start. (A helper that starts later finds it at
        // once and refuses nothing; the test then passes without the wait it is about.)
        const startNext = () => {
          if (++stopped === workers.length)
            setTimeout(() => {
              next = launch({ command: "python3", args: [NEXT_SERVER, HOST, String(port)] });
            }, 200);
        };
        stalls = Promise.all(workers.map((pid) => stallWhenHelperStarts(pid, STALL_MS, startNext)));
      },
      endAfter: { settled: old.exit, ms: AFTER_MS },
    });
    const done = await stalls;
    const stopped = Math.max(...done.map((stall) => stall?.stoppedAt ?? Number.NaN)) - load.eventAt;
    const resumed = Math.min(...done.map((stall) => stall?.resumedAt ?? Number.NaN)) - load.eventAt;
    expect(resumed, "each worker's helper seen, and the worker stopped").not.toBeNaN();
    expect(await next?.waitForLine(/next server ready/, 10_000), next?.tail().join("\n")).toBeDefined();
    expect((await old.exit).code).toBe(0);
    // Its queue moved to the next server: not an unready close.
    expect(old.lines.filter((line) => UNREADY.test(line.text)).map((line) => line.text)).toEqual([]);
    // Sent and answered while both old workers were stopped: by the next server, so refusing had ended.
    const byNext = load.requests.filter(
      (r) => r.outcome === "answered" && r.sentMs > stopped && r.doneMs < resumed,
    ).length;
    expect(byNext, load.why).toBeGreaterThan(0);
    expect({ lost: load.counts.lost, timedOut: load.counts.timedOut }, load.why).toEqual({
      lost: 0,
      timedOut: 0,
    });
    next?.signal("SIGTERM");
  });

  it.each<[string, string[], Record<string, string>]>([
    ["workers = 1", ["--workers", "1"], {}],
    ["debug", ["--workers", "4", "--debug"], {}],
    ["the macOS fallback", ["--workers", "4"], { BUSTAPI_PLATFORM: "darwin" }],
  ])(
    "loses no connection when one process serves and stops (%s): new ones are refused, queued ones answered",
    async (_mode, args, env) => {
      // Nothing lost is the contract. Unlike the whole instance's, these cases do not also ask for a
      // refusal seen while the listener was still there: at the rate one busy CPU serves (214 connections/s
      // beside CPU hogs), the refusing window passed between two looks at the listeners in 3 of 3 runs.
      let ratePerS: number | undefined;
      for (let run = 1; run <= RUNS; run++) {
        // On one CPU of its own (the loader keeps the others): a queue builds, as it does on a busy
        // production host, and closing unready resets it (bench --workers 1 lost up to 1,023).
        const { proc, port } = await startReference(args, env, undefined, ONE_CPU);
        // All it serves, not half: a queue must build for an unready close to reset it. Open-loop at that
        // rate, the queue grows by the load's jitter in the 0.5 s before the stop, far from its backlog.
        ratePerS ??= await sustainableRate(port, 1);
        const load = await explainedLoad({ port, proc }, HOST, "/", {
          ...LOAD,
          ratePerS,
          event: () => proc.signal("SIGTERM"),
          endAfter: { settled: proc.exit, ms: AFTER_MS },
          watchListeners: true,
        });
        expect((await proc.exit).code).toBe(0);
        expect(proc.lines.filter((line) => UNREADY.test(line.text))).toEqual([]);
        expect({ run, ratePerS, lost: load.counts.lost, timedOut: load.counts.timedOut }, load.why).toEqual({
          run,
          ratePerS,
          lost: 0,
          timedOut: 0,
        });
      }
    },
  );

  it("hands a worker's queue to its siblings when it stops alone: nothing lost, nothing refused", async () => {
    const { proc, port } = await startReference(["--workers", "4"]);
    const ratePerS = await sustainableRate(port);
    for (let run = 1; run <= RUNS; run++) {
      const [worker] = await liveDescendants(proc.pid);
      const from = proc.lines.length;
      const load = await explainedLoad({ port, proc }, HOST, "/", {
        ...LOAD,
        ratePerS,
        event: () => process.kill(worker?.pid as number, "SIGTERM"),
        endAfter: { settled: exitOf(worker?.pid as number, worker?.startTicks), ms: AFTER_MS },
      });
      const respawned = await proc.waitForLine(/listening \(respawned\)/, 5_000, from);
      // What the instance said instead (its output ended, or no replacement came), and what the load saw.
      expect(
        respawned,
        `run ${run}, worker ${worker?.pid} stopped; output:\n${proc.tail(12).join("\n")}\n${load.why}`,
      ).toBeDefined();
      expect({ run, ratePerS, ...load.counts }, load.why).toEqual({ run, ratePerS, ...allAnswered(load) });
    }
  });

  it("refuses nothing when the next instance shares the port: the old one's queues move to it", async () => {
    let ratePerS: number | undefined;
    for (let run = 1; run <= RUNS; run++) {
      const { proc: old, port } = await startReference(["--workers", "4"]);
      const { proc: next } = await startReference(["--workers", "2", "--port", String(port)]);
      // Both serve while it is measured; on 2 CPUs the next one's 2 workers serve as much alone.
      ratePerS ??= await sustainableRate(port);
      const load = await explainedLoad({ port, proc: old }, HOST, "/", {
        ...LOAD,
        ratePerS,
        event: () => old.signal("SIGTERM"),
        endAfter: { settled: old.exit, ms: AFTER_MS },
      });
      expect((await old.exit).code).toBe(0);
      expect({ run, ratePerS, ...load.counts }, load.why).toEqual({ run, ratePerS, ...allAnswered(load) });
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
      const load = await explainedLoad({ port, proc: reaper }, HOST, "/", {
        ...LOAD,
        ratePerS: 1_000,
        event: () => process.kill(primary?.pid as number, "SIGKILL"),
        endAfter: { settled: Promise.all(workers.map((w) => exitOf(w.pid, w.startTicks))), ms: AFTER_MS },
      });
      expect({ run, ...load.counts }, load.why).toEqual({ run, ...allAnswered(load) });
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

/** The TcpExt counters a listener's close moves: what the kernel did with what was queued. */
const COUNTERS = [
  "TCPMigrateReqSuccess",
  "TCPMigrateReqFailure",
  "ListenOverflows",
  "ListenDrops",
  "TCPAbortOnData",
  "TCPAbortOnClose",
] as const;

/**
 * loadAcross, and `why`: each request not answered (its outcome and socket error, sent and settled in ms
 * from the event) and the kernel's counters over the load, for the failure message. A rare failure must
 * say what happened the one time it happens (one refused connection in about 100 stops, issue 28).
 */
async function explainedLoad(...args: Parameters<typeof loadAcross>): Promise<LoadAcross & { why: string }> {
  const before = await netstat();
  const load = await loadAcross(...args);
  const after = await netstat();
  const odd = load.requests.filter((r) => r.outcome !== "answered");
  const shown = odd
    .slice(0, 20)
    .map((r) => `${r.outcome}${r.error ? ` ${r.error}` : ""} ${r.sentMs.toFixed(1)}->${r.doneMs.toFixed(1)}`);
  const counters = COUNTERS.map((name) => `${name} +${(after[name] ?? 0) - (before[name] ?? 0)}`);
  const more = odd.length > shown.length ? ` and ${odd.length - shown.length} more` : "";
  const listeners = load.listeners
    ? `; listeners last seen ${load.listeners.lastSeenMs.toFixed(0)} ms, gone ${load.listeners.goneMs?.toFixed(0) ?? "never"}`
    : "";
  const why = `not answered (ms from the event): ${shown.join(", ") || "none"}${more}; queued at the event ${load.queuedAtEvent}${listeners}; TcpExt: ${counters.join(", ")}`;
  return { ...load, why };
}

const SUBREAPER = fileURLToPath(new URL("./subreaper.py", import.meta.url));
const NEXT_SERVER = fileURLToPath(new URL("./reuseport-server.py", import.meta.url));

/**
 * The load's rate for a server on `port`: `share` of the new connections per second this host answers
 * it at, measured closed-loop (32 requests in flight, each on a new connection, for 1 s), and
 * LOAD.ratePerS at most. On an idle 2-CPU host that is LOAD.ratePerS; beside a CPU hog on every core, less.
 */
async function sustainableRate(port: number, share = 0.5): Promise<number> {
  const started = performance.now();
  const until = started + 1_000;
  let answered = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (performance.now() < until) {
        if ((await oneRequest(HOST, port, "/", 5_000)).outcome === "answered") answered++;
      }
    }),
  );
  const perS = answered / ((performance.now() - started) / 1000);
  return Math.max(100, Math.min(LOAD.ratePerS, Math.floor(perS * share)));
}

/** Longer than the helper once waited for a queue at most (3 s). */
const STALL_MS = 3_500;
/**
 * How long a request of the stalled tests may wait for its answer: one queued on a stopped worker waits
 * out the stall, and the load's usual 5 s would leave a busy host 1.5 s to answer it after.
 */
const STALLED_REQUEST_TIMEOUT_MS = 15_000;

/** When a worker was stopped and let run again (performance.now()). */
interface Stall {
  stoppedAt: number;
  resumedAt: number;
}

/**
 * Stops `pid` (SIGSTOP) as soon as a listener helper runs below it, and lets it run again `ms` later;
 * undefined if no helper came within 5 s. The helper is a child of the worker: its cmdline names it.
 */
async function stallWhenHelperStarts(
  pid: number,
  ms: number,
  onStopped: () => void = () => {},
): Promise<Stall | undefined> {
  const until = performance.now() + 5_000;
  while (performance.now() < until) {
    const children = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "");
    for (const child of children.split(" ").filter(Boolean)) {
      const cmdline = (await readProcess(Number(child)))?.cmdline ?? [];
      if (!cmdline.some((part) => part.endsWith("drain-listener.py"))) continue;
      process.kill(pid, "SIGSTOP");
      const stoppedAt = performance.now();
      onStopped();
      try {
        await sleep(ms);
      } finally {
        process.kill(pid, "SIGCONT");
      }
      return { stoppedAt, resumedAt: performance.now() };
    }
    await sleep(1);
  }
  return undefined;
}

/** Settles once this process (pid and start time, against pid reuse) is gone. */
async function exitOf(pid: number, startTicks?: number): Promise<void> {
  while (await stillAlive(pid, startTicks)) await sleep(10);
}

/** The counts of a load whose every request was answered: none refused, lost or timed out. */
function allAnswered(load: LoadAcross): LoadAcross["counts"] {
  return { answered: load.sent, refused: 0, lost: 0, timedOut: 0 };
}

/** Requests refused while a LISTEN socket was still seen on the port (the kit looked after the refusal). */
function refusedBeforeClose(load: LoadAcross): number {
  const lastSeen = load.listeners?.lastSeenMs ?? Number.NEGATIVE_INFINITY;
  return load.requests.filter((r) => r.outcome === "refused" && r.doneMs < lastSeen).length;
}
