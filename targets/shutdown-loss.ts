import { readFile } from "node:fs/promises";
import { connect } from "node:net";
import { listenRows } from "../common/probes/procfs.ts";
import { sleep } from "../common/sleep.ts";
import type { RequestOutcome, ShutdownLossRun } from "../results/bench.ts";
import { bucketTimeline } from "../results/timeline.ts";
import type { Instance } from "./instance.ts";

/**
 * What a shutdown loses: an open-loop load of fresh connections at a fixed
 * rate (each request on a new connection, sent on schedule whether or not
 * earlier ones were answered), the signal at a fixed point, and every request
 * counted by its outcome. Used by SIGNAL-6 and by the benchmark.
 */

/** TcpExt counters of /proc/net/netstat (a header line of names, then a line of values). */
export function parseNetstat(text: string): Record<string, number> {
  const lines = text.split("\n");
  const counters: Record<string, number> = {};
  for (let i = 0; i + 1 < lines.length; i++) {
    const names = lines[i]?.split(/\s+/) ?? [];
    const values = lines[i + 1]?.split(/\s+/) ?? [];
    if (names[0] !== "TcpExt:" || values[0] !== "TcpExt:") continue;
    names.forEach((name, j) => {
      if (j > 0 && values[j] !== undefined) counters[name] = Number(values[j]);
    });
  }
  return counters;
}

/** The kernel's TcpExt counters now (empty where /proc/net/netstat cannot be read). */
export async function netstat(): Promise<Record<string, number>> {
  return parseNetstat(await readFile("/proc/net/netstat", "utf8").catch(() => ""));
}

/** How one request on a fresh connection ended; `error` is the socket's error code, when it had one. */
export interface OneRequest {
  outcome: RequestOutcome;
  /** ECONNREFUSED (a reset answered the SYN), ECONNRESET (reset once connected), ... */
  error?: string;
}

/** One request on a fresh connection, with its outcome. */
export function oneRequest(host: string, port: number, path: string, timeoutMs: number): Promise<OneRequest> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let connected = false;
    let received = "";
    let settled = false;
    const finish = (outcome: RequestOutcome, error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // After a response the server closes first (Connection: close): its side keeps the TIME_WAIT.
      if (outcome === "answered") socket.end();
      else socket.destroy();
      resolve(error === undefined ? { outcome } : { outcome, error });
    };
    // No connection within the bound is not a refusal the client knows of (its SYN may wait in a full
    // queue): it waited as long as for an answer, and counts so.
    const timer = setTimeout(() => finish("timedOut"), timeoutMs);
    socket.setEncoding("latin1");
    socket.on("connect", () => {
      connected = true;
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nConnection: close\r\n\r\n`);
    });
    socket.on("data", (chunk: string) => {
      received += chunk;
      if (/^HTTP\/1\.[01] \d{3}/.test(received) && received.includes("\r\n\r\n")) finish("answered");
    });
    // A reset before the kit saw its connect (ECONNRESET, not ECONNREFUSED) counts as refused too: it
    // may be a queued connection the server dropped, but also a handshake still in flight when the last
    // listener closed, which the kernel resets whatever the server does (TcpExt TCPMigrateReqFailure).
    // Counted as lost, the reference failed its one-process stop test at once (1 such, the counter +1).
    socket.on("error", (error: NodeJS.ErrnoException) =>
      finish(connected ? "lost" : "refused", error.code ?? error.message),
    );
    socket.on("close", () => finish(connected ? "lost" : "refused"));
  });
}

/** One request of a load: when it was sent and settled, in ms from the event (negative before it), and how. */
export interface RequestRecord {
  sentMs: number;
  doneMs: number;
  outcome: RequestOutcome;
  /** The socket's error code, for a request that was not answered and had one. */
  error?: string;
}

/** What an open-loop load across an event found. */
export interface LoadAcross {
  sent: number;
  counts: Record<RequestOutcome, number>;
  /** Every request, in the order sent. */
  requests: RequestRecord[];
  /** performance.now() when the event happened. */
  eventAt: number;
  /** The started process's clock (ms since launch) when the event happened. */
  eventAtLaunchMs: number;
  /** Connections waiting in the LISTEN sockets' accept queues just before the event. */
  queuedAtEvent: number;
  /**
   * With `watchListeners`: ms from the event of the last look that still saw a LISTEN socket on the
   * port, and of the first that saw none (null: they outlived the load).
   */
  listeners?: { lastSeenMs: number; goneMs: number | null };
}

/** How often the listeners are looked at after the event (a read of the LISTEN rows alone). */
const LISTENER_WATCH_MS = 20;

/**
 * Watches the LISTEN sockets on a port until none is left: `gone` settles with performance.now() of the
 * first look that found none; `lastSeen` is the time of the last look that found one.
 */
function watchListeners(port: number): { gone: Promise<number>; lastSeen: () => number; stop: () => void } {
  let lastSeen = performance.now();
  let stopped = false;
  const gone = (async () => {
    for (;;) {
      const at = performance.now();
      const open = (await listenRows()).some((row) => row.localPort === port);
      if (!open) return at;
      lastSeen = at;
      if (stopped) return Number.NaN;
      await sleep(LISTENER_WATCH_MS);
    }
  })();
  return { gone, lastSeen: () => lastSeen, stop: () => (stopped = true) };
}

/**
 * An open-loop load of fresh connections at `ratePerS` (each request on a new connection, sent on
 * schedule whether or not earlier ones were answered) for `durationMs` at most, with `event` called
 * `eventAtMs` in; then it waits for the stragglers (each bounded by `timeoutMs`). Every request is
 * counted as answered, refused, lost or timed out, and kept with its times.
 *
 * With `endAfter`, the load ends `endAfter.ms` after that promise settles, if that comes before
 * `durationMs`; with `watchListeners` too, only once no LISTEN socket is left on the port as well: a
 * server whose started process exits before its workers close their listeners (or a launcher that
 * dies first) can still lose the connections queued on them, and the load must be there to see it.
 */
export async function loadAcross(
  instance: Pick<Instance, "port" | "proc">,
  host: string,
  path: string,
  {
    ratePerS,
    durationMs,
    eventAtMs,
    timeoutMs = 5_000,
    event,
    endAfter,
    watchListeners: watch = false,
  }: {
    ratePerS: number;
    durationMs: number;
    eventAtMs: number;
    timeoutMs?: number;
    event: () => void;
    endAfter?: { settled: Promise<unknown>; ms: number };
    watchListeners?: boolean;
  },
): Promise<LoadAcross> {
  const counts: Record<RequestOutcome, number> = { answered: 0, refused: 0, lost: 0, timedOut: 0 };
  const records: RequestRecord[] = [];
  const pending: Array<Promise<void>> = [];
  const intervalMs = 1000 / ratePerS;
  let queued: Promise<number> = Promise.resolve(0);
  let eventAt = 0;
  let eventAtLaunchMs = 0;
  let happened = false;
  let watcher: ReturnType<typeof watchListeners> | undefined;
  const start = performance.now();
  let sent = 0;
  let total = Math.round((ratePerS * durationMs) / 1000);
  const endAt = (settledAt: number) => {
    const endAtMs = settledAt - start + (endAfter?.ms ?? 0);
    total = Math.min(total, Math.ceil((ratePerS * endAtMs) / 1000));
  };
  while (sent < total) {
    const now = performance.now();
    if (!happened && now - start >= eventAtMs) {
      happened = true;
      // The queues just before the event: what a listener closing now would drop. Read without
      // waiting for it: the schedule must not pause (a burst after a pause would be the kit's doing).
      queued = listenRows().then((rows) =>
        rows.filter((row) => row.localPort === instance.port).reduce((sum, row) => sum + row.rxQueue, 0),
      );
      eventAt = performance.now();
      eventAtLaunchMs = instance.proc.elapsedMs();
      if (watch) watcher = watchListeners(instance.port);
      event();
      if (endAfter) {
        const conditions: Array<Promise<unknown>> = [endAfter.settled];
        if (watcher) conditions.push(watcher.gone);
        void Promise.all(conditions).then(() => endAt(performance.now()));
      }
    }
    while (sent < total && start + sent * intervalMs <= performance.now()) {
      sent++;
      const sentAt = performance.now();
      pending.push(
        oneRequest(host, instance.port, path, timeoutMs).then(({ outcome, error }) => {
          counts[outcome]++;
          // Absolute times here: a request sent before the event may settle before it too.
          records.push({ sentMs: sentAt, doneMs: performance.now(), outcome, ...(error ? { error } : {}) });
        }),
      );
    }
    const wait = start + sent * intervalMs - performance.now();
    await sleep(Math.max(0, Math.min(wait, 1)));
  }
  await Promise.all(pending);
  watcher?.stop();
  const gone = watcher ? await watcher.gone : undefined;
  const requests = records
    .map((r) => ({ ...r, sentMs: r.sentMs - eventAt, doneMs: r.doneMs - eventAt }))
    .sort((a, b) => a.sentMs - b.sentMs);
  return {
    sent,
    counts,
    requests,
    eventAt,
    eventAtLaunchMs,
    queuedAtEvent: await queued,
    ...(watcher
      ? {
          listeners: {
            lastSeenMs: watcher.lastSeen() - eventAt,
            goneMs: gone === undefined || Number.isNaN(gone) ? null : gone - eventAt,
          },
        }
      : {}),
  };
}

/**
 * What a shutdown loses: the load across `signal` to the started process, from `signalAtMs` until
 * `endAfterMs` after the started process has exited and no LISTEN socket is left on the port (a
 * listener that closes later can still reset what is queued on it), and the manifest's stop timeout
 * after the signal at most; then the exit, with the accept-queue depth and the kernel's listen-queue
 * counters.
 */
export async function measureShutdownLoss(
  instance: Instance,
  host: string,
  path: string,
  {
    signal,
    ratePerS,
    signalAtMs,
    endAfterMs,
    timeoutMs = 5_000,
  }: {
    signal: NodeJS.Signals;
    ratePerS: number;
    signalAtMs: number;
    /** How long the load goes on once the server is gone: connections it refuses then judge nothing. */
    endAfterMs: number;
    timeoutMs?: number;
  },
): Promise<{ run: ShutdownLossRun; listenersClosedAfterMs: number | null }> {
  const before = await netstat();
  const load = await loadAcross(instance, host, path, {
    ratePerS,
    durationMs: signalAtMs + instance.manifest.stopTimeoutMs + endAfterMs,
    eventAtMs: signalAtMs,
    timeoutMs,
    event: () => instance.proc.signal(signal),
    endAfter: { settled: instance.proc.exit, ms: endAfterMs },
    watchListeners: true,
  });
  const exit = await instance.waitExit(
    Math.max(0, instance.manifest.stopTimeoutMs - (performance.now() - load.eventAt)),
  );
  const after = await netstat();
  const delta = (name: string) => (after[name] ?? 0) - (before[name] ?? 0);
  const closed = load.listeners?.goneMs;
  const exitMs = exit ? exit.atMs - load.eventAtLaunchMs : undefined;
  return {
    run: {
      signal,
      ratePerS,
      sent: load.sent,
      ...load.counts,
      queuedAtSignal: load.queuedAtEvent,
      listenDrops: delta("ListenDrops"),
      listenOverflows: delta("ListenOverflows"),
      migrateReqSuccess: delta("TCPMigrateReqSuccess"),
      migrateReqFailure: delta("TCPMigrateReqFailure"),
      exitAfterMs: exitMs === undefined ? null : Math.round(exitMs),
      timeline: bucketTimeline(load.requests, {
        ...(exitMs === undefined ? {} : { exitMs: Math.max(0, exitMs) }),
        ...(closed === undefined || closed === null ? {} : { listenersClosedMs: Math.max(0, closed) }),
      }),
    },
    listenersClosedAfterMs: closed === undefined || closed === null ? null : Math.round(closed),
  };
}
