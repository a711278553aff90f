import { describe, expect, it } from "vitest";
import { parseNodeVersion, supportsReusePort } from "./node-version.ts";

describe("supportsReusePort", () => {
  it.each([
    ["v20.20.2", false],
    ["v22.11.9", false],
    ["v22.12.0", true],
    ["v23.0.0", false],
    ["v23.1.0", true],
    ["v24.21.0", true],
    ["v26.1.0", true],
    ["garbage", false],
  ])("%s -> %s", (version, expected) => {
    expect(supportsReusePort(version)).toBe(expected);
  });

  it("parses with or without the v", () => {
    expect(parseNodeVersion("24.1.2")).toEqual([24, 1, 2]);
    expect(parseNodeVersion("v24.1.2-pre")).toEqual([24, 1, 2]);
  });
});
