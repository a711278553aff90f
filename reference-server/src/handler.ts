import type { IncomingMessage, ServerResponse } from "node:http";
import type { RouteHandler } from "./app.ts";

/** Answers one request. `closing` asks the client to drop the connection after the response. */
export function handleRequest(
  routes: ReadonlyMap<string, RouteHandler>,
  req: IncomingMessage,
  res: ServerResponse,
  closing: boolean,
): void {
  const [status, value] = respond(routes, req, res);
  send(res, status, value, closing);
}

function respond(
  routes: ReadonlyMap<string, RouteHandler>,
  req: IncomingMessage,
  res: ServerResponse,
): [number, string | object] {
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  const handler = routes.get(path);
  if (!handler) return [404, { error: "Not Found", path }];
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    return [405, { error: "Method Not Allowed", method: req.method ?? "" }];
  }
  try {
    return [200, handler()];
  } catch (error) {
    process.stderr.write(`[bustbench] handler for ${path} threw: ${String(error)}\n`);
    return [500, { error: "Internal Server Error" }];
  }
}

function send(res: ServerResponse, status: number, value: string | object, closing: boolean): void {
  const text = typeof value === "string";
  const body = text ? value : JSON.stringify(value);
  const headers: Record<string, string | number> = {
    "content-type": text ? "text/plain; charset=utf-8" : "application/json",
    "content-length": Buffer.byteLength(body),
  };
  if (closing) headers.connection = "close";
  res.writeHead(status, headers);
  res.end(body);
}
