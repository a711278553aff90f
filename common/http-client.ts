import type { Agent, IncomingHttpHeaders } from "node:http";
import { connect, type Socket } from "node:net";

/**
 * node:http without an ESM import: importing it as a module enumerates its exports, whose lazy getters
 * (WebSocket, EventSource) load Node's bundled undici, 75 ms of CPU for nothing in every process that
 * makes a request (the CLI, each of the suite's check workers).
 */
const { request } = process.getBuiltinModule("node:http");

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The client's local port: with the server's port, it names the connection in /proc/net/tcp. */
  clientPort: number;
}

export interface GetOptions {
  /** `false` (the default) opens a fresh connection; an Agent with keepAlive reuses one. */
  agent?: Agent | false;
  method?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** A connection already open to host:port (see openConnection), used instead of a fresh one. */
  socket?: Socket;
}

/** One HTTP request on loopback, with a hard timeout; never hangs a test. */
export function httpGet(
  host: string,
  port: number,
  path: string,
  options: GetOptions = {},
): Promise<HttpResponse> {
  const { agent = false, method = "GET", headers = {}, timeoutMs = 5_000, socket } = options;
  // On a given connection, no agent: an agent opens a connection of its own, and the given one, left
  // open and idle, held the reference's graceful shutdown (SIGNAL-2 and -3 failed). Closed here once
  // answered, whatever the server's Connection header says, as an agent without keep-alive does.
  const connection = socket ? { agent: undefined, createConnection: () => socket } : { agent };
  const done =
    <T>(settle: (value: T) => void) =>
    (value: T) => {
      socket?.destroy();
      settle(value);
    };
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method, headers, timeout: timeoutMs, ...connection }, (res) => {
      const clientPort = res.socket.localPort ?? 0; // read now: a closed socket forgets it
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        done(resolve)({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          clientPort,
        }),
      );
      res.on("error", done(reject));
    });
    req.on("timeout", () =>
      req.destroy(new Error(`no response from ${host}:${port}${path} within ${timeoutMs} ms`)),
    );
    req.on("error", done(reject));
    req.end();
  });
}

/**
 * A TCP connection to host:port, or undefined when it is refused or not made within `timeoutMs`. Polling
 * a port that nothing listens on yet this way costs a fifth of the CPU of an HTTP request that fails
 * (measured: 0.05 against 0.25 ms), and a start polls every 50 ms; once it connects, the request goes
 * on this connection (httpGet's `socket`), so the server sees no extra one.
 */
export function openConnection(host: string, port: number, timeoutMs: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, timeoutMs);
    let connected = false;
    socket.once("connect", () => {
      connected = true;
      clearTimeout(timer);
      resolve(socket);
    });
    // Kept once connected, so that an error before the request takes the socket is never unhandled.
    socket.on("error", () => {
      if (connected) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    });
  });
}
