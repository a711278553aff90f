import type { Server } from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import { RuntimeError } from "../../common/errors.ts";
import type { RequestHandler } from "./handler.ts";
import type { RouteHandler } from "./routes.ts";

/**
 * node:http through require, not an ESM import: Node builds an ESM module of a builtin by reading every
 * export, and node:http's WebSocket, EventSource and friends are getters that load undici. That cost
 * 0.1 CPU-s in every process of the reference (Node 24, 2-core host: a `--help` took 0.19 CPU-s, an
 * empty module 0.08), about as much as the rest of a worker's start; a conformance run starts some 85.
 */
const { createServer } = createRequire(import.meta.url)("node:http") as typeof import("node:http");

export interface HttpServer {
  server: Server;
  port: number;
  /**
   * Stop accepting, let requests in flight finish, close idle keep-alive connections.
   * After `graceMs` (if given) the remaining connections are cut. The listener closes once
   * `beforeClose` settles (the worker readies it first: drain-listener.ts); until then it accepts,
   * and every response says `Connection: close`.
   */
  drain(graceMs?: number, beforeClose?: Promise<unknown>): Promise<"drained" | "forced">;
}

/**
 * Listens on host:port with `handle` answering each request, and resolves once the socket is bound;
 * bind failures become one-line errors. `beforeListen` sees the server first.
 */
export function listen(
  routes: ReadonlyMap<string, RouteHandler>,
  handle: RequestHandler,
  { host, port, reusePort, debug }: { host: string; port: number; reusePort: boolean; debug: boolean },
  beforeListen: (server: Server) => void = () => {},
): Promise<HttpServer> {
  let closing = false;
  const server = createServer(SERVER_LIMITS, (req, res) => {
    if (debug) {
      const started = process.hrtime.bigint();
      res.once("finish", () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        process.stderr.write(`[debug] ${req.method} ${req.url} ${res.statusCode} ${ms.toFixed(2)} ms\n`);
      });
    }
    handle(routes, req, res, closing);
  });

  const drain = (graceMs?: number, beforeClose: Promise<unknown> = Promise.resolve()) =>
    new Promise<"drained" | "forced">((resolve) => {
      closing = true;
      const timer =
        graceMs === undefined
          ? undefined
          : setTimeout(() => {
              server.closeAllConnections();
              resolve("forced");
            }, graceMs);
      // net's close, not http's: http.Server.close() also closes idle keep-alive connections at
      // once, and a client that sends its next request in that instant gets a reset. Here every
      // response from now on says `Connection: close`, so busy connections end after their
      // response; connections still open and idle after IDLE_GRACE_MS are closed, and so on periodically.
      void beforeClose.then(() =>
        net.Server.prototype.close.call(server, () => {
          clearTimeout(timer);
          clearInterval(sweeper);
          resolve("drained");
        }),
      );
      // Each sweep after this turn's I/O (setImmediate), not in the timers phase, which runs before the
      // loop reads its sockets: a worker that a busy host kept from running finds its sweep due and a
      // keep-alive connection's next request waiting unread, and would close that connection as idle,
      // resetting a request sent at once (serve.integration.test.ts). Read first, it is answered.
      const sweep = () => setImmediate(() => server.closeIdleConnections()).unref();
      const sweeper = setInterval(sweep, IDLE_SWEEP_MS);
      sweeper.unref();
      setTimeout(sweep, IDLE_GRACE_MS).unref();
    });

  beforeListen(server);
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => reject(bindError(error, host, port)));
    // BustAPI's children use a backlog of 1024; Node's default is 511.
    server.listen({ host, port, reusePort, backlog: 1024 }, () => {
      const address = server.address();
      const bound = typeof address === "object" && address ? address.port : port;
      resolve({ server, port: bound, drain });
    });
  });
}

/**
 * Limits against slow or malformed clients. Node answers a bad request line
 * with 400, headers over maxHeaderSize with 431 and a header timeout with 408,
 * each on that connection only; the worker keeps serving the others.
 */
export const SERVER_LIMITS = {
  maxHeaderSize: 16 * 1024,
  /** A client must send its whole header block within this time. */
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  /** How often the timeouts above are enforced (Node's default is 30 s). */
  connectionsCheckingInterval: 1_000,
} as const;

/** While draining: how long a connection may sit idle before it is closed, then how often to look again. */
const IDLE_GRACE_MS = 250;
const IDLE_SWEEP_MS = 250;

const REASONS: Record<string, string> = {
  EADDRINUSE: "address already in use",
  EADDRNOTAVAIL: "address not available on this host",
  EACCES: "permission denied",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name lookup failed",
};

export function bindError(error: NodeJS.ErrnoException, host: string, port: number): RuntimeError {
  const code = error.code ?? "unknown";
  const reason = REASONS[code] ?? error.message;
  return new RuntimeError(`cannot listen on ${host}:${port}: ${reason} (${code})`);
}
