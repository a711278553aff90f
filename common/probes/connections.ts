import { RawConnection } from "../raw-http.ts";
import { sleep } from "../sleep.ts";
import { procAvailable, socketHolders, tcpRows } from "./procfs.ts";

export interface ConnectionSample {
  clientPort: number;
  /** 0 when no response came (refused, reset, closed, timed out): see `error`. */
  status: number;
  error?: string;
  /** The pids holding the server side of this connection once accepted; empty if never seen accepted. */
  acceptedBy: number[];
}

/** Polls between two looks at /proc while connections wait to be attributed. */
const POLL_MS = 5;

/**
 * Finds which process accepted each of several connections, with one read of
 * /proc per poll for all of them. A connection still in the accept queue has a
 * row without an inode; once accepted, its socket has an inode and a holder. A
 * holder is believed when two looks in a row agree: a socket on its way from a
 * primary to a worker (Node's round-robin cluster) is briefly held by neither or
 * by the primary.
 */
export class AcceptWatcher {
  readonly #pending = new Map<
    number,
    { resolve: (pids: number[]) => void; deadline: number; last?: string }
  >();
  #running = false;

  constructor(readonly serverPort: number) {}

  /** Resolves with the accepting pids, or [] if the connection was not seen accepted in time. */
  acceptedBy(clientPort: number, timeoutMs: number): Promise<number[]> {
    if (!procAvailable()) return Promise.resolve([]); // nothing to see without /proc: do not wait for it
    return new Promise((resolve) => {
      this.#pending.set(clientPort, { resolve, deadline: performance.now() + timeoutMs });
      if (!this.#running) void this.#loop();
    });
  }

  async #loop(): Promise<void> {
    this.#running = true;
    try {
      while (this.#pending.size > 0) {
        const rows = (await tcpRows()).filter(
          (r) =>
            r.state === "ESTABLISHED" && r.localPort === this.serverPort && this.#pending.has(r.remotePort),
        );
        const holders = rows.some((r) => r.inode !== 0) ? await socketHolders() : new Map<number, number[]>();
        const now = performance.now();
        for (const row of rows) {
          const waiting = this.#pending.get(row.remotePort);
          const seen = row.inode === 0 ? [] : (holders.get(row.inode) ?? []);
          if (!waiting || seen.length === 0) continue;
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

/**
 * Opens a connection and begins a request on it (the request line and a header,
 * not the blank line that ends the head), then waits until a process has
 * accepted it. A server cannot answer, or close after answering, before the
 * request is complete, so the accepting process is still holding the connection
 * when /proc is read: servers that answer once per connection (HTTP/1.0,
 * Connection: close) are attributed like keep-alive ones, and servers that
 * accept only once data has arrived (TCP_DEFER_ACCEPT) too.
 */
export async function openBegun(
  host: string,
  port: number,
  path: string,
  watcher: AcceptWatcher,
  { acceptWaitMs = 2_000, connectTimeoutMs = 5_000 } = {},
): Promise<{ connection: RawConnection; acceptedBy: number[] }> {
  const connection = await RawConnection.open(host, port, connectTimeoutMs);
  // Connection: close, so that a worker which serves one connection at a time is never held by the kit.
  connection.send(`GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nConnection: close\r\n`);
  const acceptedBy = await watcher.acceptedBy(connection.localPort, acceptWaitMs);
  return { connection, acceptedBy };
}

/**
 * Sends `count` requests, each on a fresh connection that is closed once it has
 * its answer, and finds which process accepted each (see openBegun).
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
    let begun: Awaited<ReturnType<typeof openBegun>>;
    try {
      begun = await openBegun(host, port, path, watcher, { connectTimeoutMs: timeoutMs });
    } catch (error) {
      return { clientPort: 0, status: 0, error: (error as Error).message, acceptedBy: [] };
    }
    const { connection, acceptedBy } = begun;
    const clientPort = connection.localPort; // read now: a closed socket forgets it
    try {
      connection.send("\r\n");
      const result = await connection.readResponse(timeoutMs);
      if (result.kind === "response") {
        const { status } = result.response;
        return { clientPort, status, acceptedBy };
      }
      const error =
        result.kind === "timeout"
          ? `no response within ${timeoutMs} ms`
          : result.bytes > 0
            ? "closed in the middle of a response"
            : "closed (or reset) without a response";
      return { clientPort, status: 0, error, acceptedBy };
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

/** Adds one tally of accepted connections into another. */
export function addCounts(into: Map<number, number>, from: ReadonlyMap<number, number>): void {
  for (const [pid, n] of from) into.set(pid, (into.get(pid) ?? 0) + n);
}
