import type { IncomingMessage, ServerResponse } from "node:http";
import { type Body, RouteError, type RouteHandler } from "./routes.ts";

/** What answers one request of a serving process (seams.ts: the request handler). */
export type RequestHandler = typeof handleRequest;

/** Answers one request. `closing` asks the client to drop the connection after the response. */
export function handleRequest(
  routes: ReadonlyMap<string, RouteHandler>,
  req: IncomingMessage,
  res: ServerResponse,
  closing: boolean,
): void {
  const url = req.url ?? "/";
  const mark = url.indexOf("?");
  const path = mark === -1 ? url : url.slice(0, mark);
  const handler = routes.get(path);
  if (!handler) {
    send(res, 404, { error: "Not Found", path }, closing);
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    send(res, 405, { error: "Method Not Allowed", method: req.method ?? "" }, closing);
    return;
  }
  let body: Body | Promise<Body>;
  try {
    body = handler(mark === -1 ? "" : url.slice(mark + 1));
  } catch (error) {
    fail(res, path, error, closing);
    return;
  }
  // Most routes answer at once; only a waiting route pays for a promise.
  if (!(body instanceof Promise)) {
    send(res, 200, body, closing);
    return;
  }
  body.then(
    (value) => send(res, 200, value, closing),
    (error: unknown) => fail(res, path, error, closing),
  );
}

function fail(res: ServerResponse, path: string, error: unknown, closing: boolean): void {
  if (error instanceof RouteError) {
    send(res, error.status, { error: error.message }, closing);
    return;
  }
  process.stderr.write(`[bustbench] handler for ${path} threw: ${String(error)}\n`);
  send(res, 500, { error: "Internal Server Error" }, closing);
}

function send(res: ServerResponse, status: number, value: Body, closing: boolean): void {
  // The client may have gone while an async handler waited.
  if (res.destroyed) return;
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
