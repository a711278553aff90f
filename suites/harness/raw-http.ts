import { connect, type Socket } from "node:net";

export interface RawResponse {
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

  private constructor(readonly socket: Socket) {
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      this.#buffer += chunk;
      this.#wake?.();
    });
    const end = () => {
      this.#closed = true;
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
      const parsed = takeResponse(this.#buffer);
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

/** Parses one HTTP/1.1 response from the front of `buffer`, if it is complete. */
export function takeResponse(buffer: string): { response: RawResponse; rest: string } | undefined {
  const headEnd = buffer.indexOf("\r\n\r\n");
  if (headEnd < 0) return undefined;
  const [statusLine = "", ...headerLines] = buffer.slice(0, headEnd).split("\r\n");
  const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(statusLine)?.[1] ?? 0);
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
        return { response: { status, headers, body }, rest: buffer.slice(end) };
      }
      body += buffer.slice(lineEnd + 2, dataEnd);
      at = dataEnd + 2;
    }
  }
  const length = Number(headers["content-length"] ?? 0);
  if (buffer.length < bodyStart + length) return undefined;
  return {
    response: { status, headers, body: buffer.slice(bodyStart, bodyStart + length) },
    rest: buffer.slice(bodyStart + length),
  };
}
