import { connect, type Socket } from "node:net";

export interface RawResponse {
  /** "1.0" or "1.1", from the status line. */
  version: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type ReadResult =
  | { kind: "response"; response: RawResponse }
  | { kind: "closed"; bytes: number }
  | { kind: "timeout" };

/**
 * A client connection written byte by byte, for what an HTTP client library
 * hides: a request sent in parts, or a keep-alive connection watched across a
 * server's shutdown.
 */
export class RawConnection {
  #buffer = "";
  #closed = false;
  #wake: (() => void) | undefined;
  #onClosed: () => void = () => {};
  /** Settles once the connection has ended: the server closed or reset it, or it was closed here. */
  readonly closed = new Promise<void>((resolve) => {
    this.#onClosed = resolve;
  });

  private constructor(readonly socket: Socket) {
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      this.#buffer += chunk;
      this.#wake?.();
    });
    const end = () => {
      this.#closed = true;
      this.#onClosed();
      this.#wake?.();
    };
    socket.on("close", end);
    socket.on("error", end);
  }

  static open(host: string, port: number, timeoutMs = 5_000): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`could not connect to ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve(new RawConnection(socket));
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  send(text: string): void {
    if (!this.#closed) this.socket.write(text);
  }

  /** Reads one complete response (Content-Length or chunked), or reports that the server closed or went silent. */
  async readResponse(timeoutMs: number): Promise<ReadResult> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const parsed = takeResponse(this.#buffer, this.#closed);
      if (parsed) {
        this.#buffer = parsed.rest;
        return { kind: "response", response: parsed.response };
      }
      if (this.#closed) return { kind: "closed", bytes: this.#buffer.length };
      const left = deadline - performance.now();
      if (left <= 0) return { kind: "timeout" };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Statuses that never carry a body, whatever the headers say. */
const NO_BODY = (status: number) => status < 200 || status === 204 || status === 304;

/**
 * Whether the server ends the connection after this response: it said so, or it
 * is an HTTP/1.0 server that did not offer keep-alive, or the body had no length
 * (it ended with the connection). A well-behaved client opens a new connection then.
 */
export function willClose(response: RawResponse): boolean {
  const connection = (response.headers.connection ?? "").toLowerCase();
  if (connection.includes("close")) return true;
  if (response.version === "1.0" && !connection.includes("keep-alive")) return true;
  return (
    !NO_BODY(response.status) &&
    response.headers["content-length"] === undefined &&
    !response.headers["transfer-encoding"]?.toLowerCase().includes("chunked")
  );
}

/**
 * Parses one HTTP/1.x response from the front of `buffer`, if it is complete. A
 * body with neither Content-Length nor chunked framing ends when the server
 * closes the connection (`closed`), as HTTP/1.0 servers send it.
 */
export function takeResponse(
  buffer: string,
  closed = false,
): { response: RawResponse; rest: string } | undefined {
  const headEnd = buffer.indexOf("\r\n\r\n");
  if (headEnd < 0) return undefined;
  const [statusLine = "", ...headerLines] = buffer.slice(0, headEnd).split("\r\n");
  const statusMatch = /^HTTP\/(\d\.\d) (\d{3})/.exec(statusLine);
  const version = statusMatch?.[1] ?? "";
  const status = Number(statusMatch?.[2] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const bodyStart = headEnd + 4;
  if (headers["transfer-encoding"]?.toLowerCase().includes("chunked")) {
    let at = bodyStart;
    let body = "";
    for (;;) {
      const lineEnd = buffer.indexOf("\r\n", at);
      if (lineEnd < 0) return undefined;
      const size = Number.parseInt(buffer.slice(at, lineEnd), 16);
      if (Number.isNaN(size)) return undefined;
      const dataEnd = lineEnd + 2 + size;
      if (buffer.length < dataEnd + 2) return undefined;
      if (size === 0) {
        const trailerEnd = buffer.indexOf("\r\n\r\n", lineEnd);
        if (trailerEnd < 0 && buffer.slice(lineEnd, lineEnd + 4) !== "\r\n\r\n") return undefined;
        const end = trailerEnd < 0 ? lineEnd + 4 : trailerEnd + 4;
        return { response: { version, status, headers, body }, rest: buffer.slice(end) };
      }
      body += buffer.slice(lineEnd + 2, dataEnd);
      at = dataEnd + 2;
    }
  }
  if (headers["content-length"] === undefined && !NO_BODY(status)) {
    if (!closed) return undefined;
    return { response: { version, status, headers, body: buffer.slice(bodyStart) }, rest: "" };
  }
  const length = NO_BODY(status) ? 0 : Number(headers["content-length"] ?? 0);
  if (buffer.length < bodyStart + length) return undefined;
  return {
    response: { version, status, headers, body: buffer.slice(bodyStart, bodyStart + length) },
    rest: buffer.slice(bodyStart + length),
  };
}
