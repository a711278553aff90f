import { describe, expect, it } from "vitest";
import { takeResponse, willClose } from "./raw-http.ts";

describe("takeResponse", () => {
  it("waits for the whole Content-Length body, and keeps what follows", () => {
    const head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n";
    expect(takeResponse(`${head}{"hello":"wor`)).toBeUndefined();
    expect(takeResponse(`${head}{"hello":"world"}HTTP/1.1`)).toEqual({
      response: {
        version: "1.1",
        status: 200,
        headers: { "content-type": "application/json", "content-length": "17" },
        body: '{"hello":"world"}',
      },
      rest: "HTTP/1.1",
    });
  });

  it("reads a chunked body", () => {
    const text =
      "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3\r\n!!!\r\n0\r\n\r\n";
    expect(takeResponse(text)?.response).toMatchObject({ status: 404, body: "hello!!!" });
    expect(takeResponse(text.slice(0, -2))).toBeUndefined();
  });

  it("needs the end of the headers", () => {
    expect(takeResponse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n")).toBeUndefined();
  });

  it("reads an HTTP/1.0 body without a length up to the close", () => {
    const text = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nHello";
    expect(takeResponse(text)).toBeUndefined();
    expect(takeResponse(text, true)?.response).toMatchObject({ version: "1.0", status: 200, body: "Hello" });
  });
});

describe("willClose", () => {
  const response = (version: string, headers: Record<string, string>, status = 200) => ({
    version,
    status,
    headers,
    body: "",
  });
  it("follows Connection, the HTTP version and the framing", () => {
    expect(willClose(response("1.1", { "content-length": "2" }))).toBe(false);
    expect(willClose(response("1.1", { "content-length": "2", connection: "close" }))).toBe(true);
    expect(willClose(response("1.0", { "content-length": "2" }))).toBe(true);
    expect(willClose(response("1.0", { "content-length": "2", connection: "keep-alive" }))).toBe(false);
    expect(willClose(response("1.1", {}))).toBe(true);
    expect(willClose(response("1.1", {}, 204))).toBe(false);
    expect(willClose(response("1.1", { "transfer-encoding": "chunked" }))).toBe(false);
  });
});
