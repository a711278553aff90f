import { describe, expect, it } from "vitest";
import { decideMode, displayName, resolvePlatform } from "./platform.ts";

describe("resolvePlatform", () => {
  it("uses the real OS without an override", () => {
    expect(resolvePlatform(undefined, "linux")).toBe("linux");
    expect(resolvePlatform("", "freebsd")).toBe("freebsd");
  });

  it("lets the override win", () => {
    expect(resolvePlatform("darwin", "linux")).toBe("darwin");
  });

  it("rejects an unknown override in one line", () => {
    expect(() => resolvePlatform("beos", "linux")).toThrow(
      "BUSTAPI_PLATFORM must be one of linux, darwin, win32, got 'beos'",
    );
  });

  it("names platforms as people do", () => {
    expect([displayName("darwin"), displayName("win32"), displayName("linux"), displayName("aix")]).toEqual([
      "macOS",
      "Windows",
      "Linux",
      "aix",
    ]);
  });
});

describe("decideMode", () => {
  it("forks on Linux with several workers", () => {
    expect(decideMode({ platform: "linux", workers: 4, debug: false })).toEqual({
      kind: "cluster",
      processes: 4,
      fallback: false,
      debugIgnoresWorkers: false,
    });
  });

  it("serves from one process with one worker", () => {
    expect(decideMode({ platform: "linux", workers: 1, debug: false })).toMatchObject({
      kind: "single",
      processes: 1,
      fallback: false,
    });
  });

  it("ignores workers in debug mode", () => {
    expect(decideMode({ platform: "linux", workers: 4, debug: true })).toEqual({
      kind: "single",
      processes: 1,
      fallback: false,
      debugIgnoresWorkers: true,
    });
  });

  it.each(["darwin", "win32", "freebsd"])("falls back to one process on %s", (platform) => {
    expect(decideMode({ platform, workers: 4, debug: false })).toEqual({
      kind: "single",
      processes: 1,
      fallback: true,
      debugIgnoresWorkers: false,
    });
  });
});
