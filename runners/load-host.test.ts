import { describe, expect, it } from "vitest";
import { isIpLiteral, parseLoadHost } from "./load-host.ts";

describe("parseLoadHost", () => {
  it.each([
    ["root@198.18.0.2", { destination: "root@198.18.0.2", port: undefined }],
    ["bench@load-1.example:2222", { destination: "bench@load-1.example", port: 2222 }],
    ["load-1", { destination: "load-1", port: undefined }],
    ["u@[2001:db8::2]:22", { destination: "u@2001:db8::2", port: 22 }],
  ])("reads %s", (spec, expected) => {
    expect(parseLoadHost(spec)).toMatchObject({ spec, ...expected });
  });

  it.each(["", "a@b@c", "u@h:0", "u@h:70000", "u@h:x", "u@ h"])("refuses %j", (spec) => {
    expect(() => parseLoadHost(spec)).toThrow(/--load-host must be user@host or user@host:port/);
  });
});

describe("isIpLiteral", () => {
  it("accepts addresses, refuses names", () => {
    expect(["198.18.0.1", "10.0.0.255", "::1", "2001:db8::1"].map(isIpLiteral)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(["198.18.0.256", "bench.local", "1.2.3", "1::2::3"].map(isIpLiteral)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
