import { RawConnection, type RawResponse } from "../raw-http.ts";
import { sleep } from "../sleep.ts";
import { type OtherLaunches, procAvailable, socketHolders } from "./procfs.ts";
import { portRows } from "./sock-diag.ts";

export interface ConnectionSample {
  /** 0 when the connection could not be made (refused, timed out): see `error`. */
  clientPort: number;
  /** 0 when no response came (refused, reset, closed, timed out): see `error`. */
  status: number;
  error?: string;
  /**
   * The pids holding the server side of this connection once accepted; empty when the kit did not
   * see who accepted it (not attributed: it may still have been accepted and answered).
   */
  acceptedBy: number[];
  /** The server deferred its accept until data came (TCP_DEFER_ACCEPT): the request had to begin first. */
  deferred?: boolean;
  /** The answer itself, when one came. */
  response?: RawResponse;
}

/** States of a server side the server has closed: nothing will accept it any more. */
const CLOSING: ReadonlySet<string> = new Set([
  "FIN_WAIT1",
  "FIN_WAIT2",
  "CLOSING",
  "LAST_ACK",
  "CLOSE",
  "TIME_WAIT",
]);

/** Polls between two looks at /proc while connections wait to be attributed. */
const POLL_MS = 5;

/** What a watched connection's server side looks like in /proc/net/tcp. */
export type ServerSide = "handshake" | "queued" | "accepted" | "gone";

interface Waiting {
  resolve: (pids: number[]) => void;
  deadline: number;
  last?: string;
  /** Called once if the server side sits in SYN_RECV: the server accepts only once data arrives. */
  onDeferred?: () => void;
  deferredSeen?: boolean;
  /** Looks in a row that found no server side, or found it closing: it can never be seen accepted. */
  gone?: number;
}

/**
 * Finds which process accepted each of several connections, with one read of /proc per poll for
 * all of them, before the kit sends a byte: a server blocked in its first read holds the accepted
 * socket while the kit watches, whatever it does once the request arrives (answer on the first
 * read, close after one response). The server side of a connection is, in /proc/net/tcp:
 * - SYN_RECV: the server defers its accept until data arrives (TCP_DEFER_ACCEPT): `onDeferred`
 *   is called so that the request can begin, and the watch goes on;
 * - ESTABLISHED without an inode: queued, not yet accepted;
 * - ESTABLISHED with an inode: accepted, and the pids holding it are the acceptors. A holder is
 *   believed when two looks in a row agree: a socket on its way from a primary to a worker (Node's
 *   round-robin cluster) is briefly held by neither or by the primary.
 */
export class AcceptWatcher {
  readonly #pending = new Map<number, Waiting>();
  #running = false;

  /**
   * `sinceTicks`: only processes started since then can have accepted; `others`: nor those of the kit's
   * other launches (see socketHolders).
   */
  constructor(
    readonly serverPort: number,
    readonly sinceTicks?: number,
    readonly others?: OtherLaunches,
  ) {}

  /**
   * Resolves with the accepting pids, or [] if the connection was not seen accepted in time, or once
   * `ended` settles first (the client saw the server close it: whoever accepted it holds it no more).
   */
  acceptedBy(
    clientPort: number,
    timeoutMs: number,
    onDeferred?: () => void,
    ended?: Promise<unknown>,
  ): Promise<number[]> {
    if (!procAvailable()) return Promise.resolve([]); // nothing to see without /proc: do not wait for it
    return new Promise((resolve) => {
      const waiting: Waiting = {
        resolve,
        deadline: performance.now() + timeoutMs,
        ...(onDeferred ? { onDeferred } : {}),
      };
      this.#pending.set(clientPort, waiting);
      // At once, not after two more looks at /proc: on a host holding tens of thousands of connections
      // each look is slow, and a worker that drops every connection it accepts (the refusing-workers
      // mutant, beside CPU hogs) once made DIST-1's 400 connections outlast the check's time.
      void ended?.then(() => {
        if (this.#pending.get(clientPort) !== waiting) return;
        this.#pending.delete(clientPort);
        resolve([]);
      });
      if (!this.#running) void this.#loop();
    });
  }

  async #loop(): Promise<void> {
    this.#running = true;
    try {
      while (this.#pending.size > 0) {
        const rows = (await portRows(this.serverPort)).filter((r) => this.#pending.has(r.remotePort));
        const accepted = rows.filter((r) => r.state === "ESTABLISHED" && r.inode !== 0);
        const holders =
          accepted.length > 0
            ? await socketHolders(this.sinceTicks, this.others)
            : new Map<number, number[]>();
        const now = performance.now();
        // A server side that is gone (closed: its TIME_WAIT rows are not read) or closing can never be
        // seen accepted: after two such looks in a row, the connection is not attributed, at once
        // rather than at the deadline (a worker that accepts and drops every connection made DIST-1
        // wait 2 s for each of them).
        const present = new Set(rows.filter((r) => !CLOSING.has(r.state)).map((r) => r.remotePort));
        for (const [port, waiting] of this.#pending) {
          waiting.gone = present.has(port) ? 0 : (waiting.gone ?? 0) + 1;
          if (waiting.gone >= 2) {
            this.#pending.delete(port);
            waiting.resolve([]);
          }
        }
        for (const row of rows) {
          const waiting = this.#pending.get(row.remotePort);
          if (!waiting) continue;
          if (row.state === "SYN_RECV" && !waiting.deferredSeen) {
            waiting.deferredSeen = true;
            waiting.onDeferred?.();
            continue;
          }
          const seen = row.state === "ESTABLISHED" && row.inode !== 0 ? (holders.get(row.inode) ?? []) : [];
          if (seen.length === 0) continue;
          const key = seen.join(",");
          if (waiting.last === key) {
            this.#pending.delete(row.remotePort);
            waiting.resolve(seen);
          } else waiting.last = key;
        }
        for (const [port, waiting] of this.#pending) {
          if (now >= waiting.deadline) {
            this.#pending.delete(port);
            waiting.resolve([]);
          }
        }
        if (this.#pending.size > 0) await sleep(POLL_MS);
      }
    } finally {
      this.#running = false;
    }
  }
}

/** A request's head up to (not including) the blank line that ends it: sent only to a server that defers its accept. */
export function requestStart(host: string, port: number, path: string): string {
  // Connection: close, so that a worker which serves one connection at a time is never held by the kit.
  return `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nConnection: close\r\n`;
}

/**
 * Opens a connection and waits until a process has accepted it, sending nothing unless the server
 * defers its accept until data arrives; then it sends the start of a request (`requestStart`) and
 * keeps watching. `begun` says whether those bytes were sent.
 */
export async function openAccepted(
  host: string,
  port: number,
  path: string,
  watcher: AcceptWatcher,
  { acceptWaitMs = 2_000, connectTimeoutMs = 5_000 } = {},
): Promise<{ connection: RawConnection; acceptedBy: number[]; begun: boolean }> {
  const connection = await RawConnection.open(host, port, connectTimeoutMs);
  let begun = false;
  const acceptedBy = await watcher.acceptedBy(
    connection.localPort,
    acceptWaitMs,
    () => {
      begun = true;
      connection.send(requestStart(host, port, path));
    },
    connection.closed,
  );
  return { connection, acceptedBy, begun };
}

/**
 * Sends `count` requests, each on a fresh connection that is closed once it has its answer, and
 * finds which process accepted each (see AcceptWatcher) before the request is sent.
 */
export async function sampleConnections(
  host: string,
  port: number,
  path: string,
  count: number,
  {
    concurrency = 25,
    timeoutMs = 5_000,
    watcher = new AcceptWatcher(port),
  }: { concurrency?: number; timeoutMs?: number; watcher?: AcceptWatcher } = {},
): Promise<ConnectionSample[]> {
  const samples: ConnectionSample[] = [];
  let next = 0;
  const one = async (): Promise<ConnectionSample> => {
    let opened: Awaited<ReturnType<typeof openAccepted>>;
    try {
      opened = await openAccepted(host, port, path, watcher, { connectTimeoutMs: timeoutMs });
    } catch (error) {
      return { clientPort: 0, status: 0, error: (error as Error).message, acceptedBy: [] };
    }
    const { connection, acceptedBy, begun } = opened;
    const clientPort = connection.localPort; // read now: a closed socket forgets it
    const deferred = begun ? { deferred: true } : {};
    try {
      connection.send(begun ? "\r\n" : `${requestStart(host, port, path)}\r\n`);
      const result = await connection.readResponse(timeoutMs);
      if (result.kind === "response")
        return {
          clientPort,
          status: result.response.status,
          acceptedBy,
          response: result.response,
          ...deferred,
        };
      const error =
        result.kind === "timeout"
          ? `no response within ${timeoutMs} ms`
          : result.bytes > 0
            ? "closed in the middle of a response"
            : "closed (or reset) without a response";
      return { clientPort, status: 0, error, acceptedBy, ...deferred };
    } finally {
      connection.close();
    }
  };
  const lane = async () => {
    while (next < count) {
      next++;
      samples.push(await one());
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return samples;
}

/** How many of the samples each pid accepted. */
export function countByAcceptor(samples: readonly ConnectionSample[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const sample of samples) {
    for (const pid of sample.acceptedBy) counts.set(pid, (counts.get(pid) ?? 0) + 1);
  }
  return counts;
}

/** Connections that were made (not refused) but whose acceptor the kit did not see. */
export function unattributed(samples: readonly ConnectionSample[]): number {
  return samples.filter((s) => s.clientPort > 0 && s.acceptedBy.length === 0).length;
}

/** Adds one tally of accepted connections into another. */
export function addCounts(into: Map<number, number>, from: ReadonlyMap<number, number>): void {
  for (const [pid, n] of from) into.set(pid, (into.get(pid) ?? 0) + n);
}

/**
 * Waits until the server has read what the kit sent on a connection (its side's receive queue is
 * empty in /proc/net/tcp) or the connection is gone from the table; false if neither within `timeoutMs`.
 */
export async function serverHasRead(
  serverPort: number,
  clientPort: number,
  timeoutMs: number,
): Promise<boolean> {
  if (!procAvailable()) return false;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const row = (await portRows(serverPort)).find((r) => r.remotePort === clientPort);
    if (!row || row.state !== "ESTABLISHED" || (row.inode !== 0 && row.rxQueue === 0)) return true;
    if (performance.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}
