import type { Agent, IncomingHttpHeaders } from "node:http";

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
}

/** One HTTP request on loopback, with a hard timeout; never hangs a test. */
export function httpGet(
  host: string,
  port: number,
  path: string,
  options: GetOptions = {},
): Promise<HttpResponse> {
  const { agent = false, method = "GET", headers = {}, timeoutMs = 5_000 } = options;
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method, agent, headers, timeout: timeoutMs }, (res) => {
      const clientPort = res.socket.localPort ?? 0; // read now: a closed socket forgets it
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          clientPort,
        }),
      );
      res.on("error", reject);
    });
    req.on("timeout", () =>
      req.destroy(new Error(`no response from ${host}:${port}${path} within ${timeoutMs} ms`)),
    );
    req.on("error", reject);
    req.end();
  });
}
