import { readFile } from "node:fs/promises";
import { connect } from "node:net";
import { tcpRows } from "../common/probes/procfs.ts";
import { sleep } from "../common/sleep.ts";
import type { RequestOutcome, ShutdownLossRun } from "../results/bench.ts";
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

async function netstat(): Promise<Record<string, number>> {
  return parseNetstat(await readFile("/proc/net/netstat", "utf8").catch(() => ""));
}

/** One request on a fresh connection, with its outcome. */
function oneRequest(host: string, port: number, path: string, timeoutMs: number): Promise<RequestOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let connected = false;
    let received = "";
    let settled = false;
    const finish = (outcome: RequestOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // After a response the server closes first (Connection: close): its side keeps the TIME_WAIT.
      if (outcome === "answered") socket.end();
      else socket.destroy();
      resolve(outcome);
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
    socket.on("error", () => finish(connected ? "lost" : "refused"));
    socket.on("close", () => finish(connected ? "lost" : "refused"));
  });
}

/** What an open-loop load across an event found. */
export interface LoadAcross {
  sent: number;
  counts: Record<RequestOutcome, number>;
  /** performance.now() when the event happened. */
  eventAt: number;
  /** The started process's clock (ms since launch) when the event happened. */
  eventAtLaunchMs: number;
  /** Connections waiting in the LISTEN sockets' accept queues just before the event. */
  queuedAtEvent: number;
}

/**
 * An open-loop load of fresh connections at `ratePerS` (each request on a new connection, sent on
 * schedule whether or not earlier ones were answered) for `durationMs`, with `event` called
 * `eventAtMs` in; then it waits for the stragglers (each bounded by `timeoutMs`). Every request is
 * counted as answered, refused, lost or timed out. With `endAfter`, the load ends `endAfter.ms` after
 * that promise settles, if that comes before `durationMs`.
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
  }: {
    ratePerS: number;
    durationMs: number;
    eventAtMs: number;
    timeoutMs?: number;
    event: () => void;
    endAfter?: { settled: Promise<unknown>; ms: number };
  },
): Promise<LoadAcross> {
  const counts: Record<RequestOutcome, number> = { answered: 0, refused: 0, lost: 0, timedOut: 0 };
  const requests: Array<Promise<void>> = [];
  const intervalMs = 1000 / ratePerS;
  let queued: Promise<number> = Promise.resolve(0);
  let eventAt = 0;
  let eventAtLaunchMs = 0;
  let happened = false;
  const start = performance.now();
  let sent = 0;
  let total = Math.round((ratePerS * durationMs) / 1000);
  void endAfter?.settled.then(() => {
    const endAtMs = performance.now() - start + endAfter.ms;
    total = Math.min(total, Math.ceil((ratePerS * endAtMs) / 1000));
  });
  while (sent < total) {
    const now = performance.now();
    if (!happened && now - start >= eventAtMs) {
      happened = true;
      // The queues just before the event: what a listener closing now would drop. Read without
      // waiting for it: the schedule must not pause (a burst after a pause would be the kit's doing).
      queued = tcpRows().then((rows) =>
        rows
          .filter((row) => row.state === "LISTEN" && row.localPort === instance.port)
          .reduce((sum, row) => sum + row.rxQueue, 0),
      );
      eventAt = performance.now();
      eventAtLaunchMs = instance.proc.elapsedMs();
      event();
    }
    while (sent < total && start + sent * intervalMs <= performance.now()) {
      sent++;
      requests.push(
        oneRequest(host, instance.port, path, timeoutMs).then((outcome) => {
          counts[outcome]++;
        }),
      );
    }
    const wait = start + sent * intervalMs - performance.now();
    await sleep(Math.max(0, Math.min(wait, 1)));
  }
  await Promise.all(requests);
  return { sent, counts, eventAt, eventAtLaunchMs, queuedAtEvent: await queued };
}

/**
 * What a shutdown loses: the load across `signal` to the started process, then the exit (up to
 * the stop timeout), with the accept-queue depth and the kernel's listen-queue counters.
 */
export async function measureShutdownLoss(
  instance: Instance,
  host: string,
  path: string,
  {
    signal,
    ratePerS,
    durationMs,
    signalAtMs,
    timeoutMs = 5_000,
    endAfterExitMs,
  }: {
    signal: NodeJS.Signals;
    ratePerS: number;
    durationMs: number;
    signalAtMs: number;
    timeoutMs?: number;
    /** End the load this long after the started process exits, if that comes first. */
    endAfterExitMs?: number;
  },
): Promise<ShutdownLossRun> {
  const before = await netstat();
  const load = await loadAcross(instance, host, path, {
    ratePerS,
    durationMs,
    eventAtMs: signalAtMs,
    timeoutMs,
    event: () => instance.proc.signal(signal),
    ...(endAfterExitMs === undefined
      ? {}
      : { endAfter: { settled: instance.proc.exit, ms: endAfterExitMs } }),
  });
  const exit = await instance.waitExit(
    Math.max(0, instance.manifest.stopTimeoutMs - (performance.now() - load.eventAt)),
  );
  const after = await netstat();
  const delta = (name: string) => (after[name] ?? 0) - (before[name] ?? 0);
  return {
    signal,
    ratePerS,
    sent: load.sent,
    ...load.counts,
    queuedAtSignal: load.queuedAtEvent,
    listenDrops: delta("ListenDrops"),
    listenOverflows: delta("ListenOverflows"),
    migrateReqSuccess: delta("TCPMigrateReqSuccess"),
    migrateReqFailure: delta("TCPMigrateReqFailure"),
    exitAfterMs: exit ? Math.round(exit.atMs - load.eventAtLaunchMs) : null,
  };
}
