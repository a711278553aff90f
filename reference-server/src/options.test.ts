import { describe, expect, it } from "vitest";
import { UsageError } from "../../common/errors.ts";
import { resolveRunOptions } from "./options.ts";

describe("resolveRunOptions", () => {
  it("applies BustAPI's defaults: workers = CPU count", () => {
    expect(resolveRunOptions({}, 8)).toEqual({
      host: "127.0.0.1",
      port: 5000,
      workers: 8,
      debug: false,
      graceMs: 10_000,
    });
  });

  it("defaults to one worker in debug mode", () => {
    expect(resolveRunOptions({ debug: true }, 8).workers).toBe(1);
  });

  it("keeps an explicit worker count in debug mode (the mode decides what to do with it)", () => {
    expect(resolveRunOptions({ debug: true, workers: "4" }, 8).workers).toBe(4);
  });

  it("accepts strings and numbers", () => {
    const options = resolveRunOptions({ host: "0.0.0.0", port: "0", workers: 2, graceMs: "500" }, 2);
    expect(options).toMatchObject({ host: "0.0.0.0", port: 0, workers: 2, graceMs: 500 });
  });

  it.each([
    [{ workers: "0" }, "--workers must be a positive integer (at most 512), got '0'"],
    [{ workers: "-1" }, "--workers must be a positive integer (at most 512), got '-1'"],
    [{ workers: "abc" }, "--workers must be a positive integer (at most 512), got 'abc'"],
    [{ workers: "2.5" }, "--workers must be a positive integer (at most 512), got '2.5'"],
    [{ workers: "513" }, "--workers must be a positive integer (at most 512), got '513'"],
    [{ port: "65536" }, "--port must be a port number from 0 to 65535, got '65536'"],
    [{ port: "http" }, "--port must be a port number from 0 to 65535, got 'http'"],
    [{ port: "" }, "--port must be a port number from 0 to 65535, got ''"],
    [{ host: "" }, "--host must be a host name or address, got ''"],
    [{ host: "a b" }, "--host must be a host name or address, got 'a b'"],
    [{ graceMs: "-5" }, "--grace-ms must be a whole number of milliseconds, got '-5'"],
  ])("rejects %o", (raw, message) => {
    expect(() => resolveRunOptions(raw, 2)).toThrow(new UsageError(message));
  });
});
