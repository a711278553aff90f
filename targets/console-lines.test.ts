import { describe, expect, it } from "vitest";
import { findLine, LINES, normalizeLine } from "./console-lines.ts";

describe("normalizeLine", () => {
  it.each([
    [
      "🚀 Starting 4 worker processes (Linux SO_REUSEPORT)...",
      "Starting 4 worker processes (Linux SO_REUSEPORT)",
    ],
    [
      "[BustAPI] Starting 4 worker processes (Linux SO_REUSEPORT)...",
      "Starting 4 worker processes (Linux SO_REUSEPORT)",
    ],
    ["\x1b[1;32m🛑 Shutting down workers...\x1b[0m", "Shutting down workers"],
    ["  [INFO] 🛑  Shutting down workers…  ", "Shutting down workers"],
    ["Plain line", "Plain line"],
  ])("%j -> %j", (line, expected) => {
    expect(normalizeLine(line)).toBe(expected);
  });
});

describe("matchers", () => {
  it("accepts the documented and the shipped start lines, and only the right count", () => {
    const documented = ["🚀 Starting 4 worker processes (Linux SO_REUSEPORT)..."];
    const shipped = ["[BustAPI] Starting 4 worker processes (Linux SO_REUSEPORT)..."];
    expect(findLine(documented, LINES.start(4))).toBe(documented[0]);
    expect(findLine(shipped, LINES.start(4))).toBe(shipped[0]);
    expect(findLine(shipped, LINES.start(2))).toBeUndefined();
    expect(findLine(["Starting 14 worker processes (Linux SO_REUSEPORT)"], LINES.start(4))).toBeUndefined();
  });

  it.each([
    "2026-01-01 12:00:00,123 INFO Starting 4 worker processes (Linux SO_REUSEPORT)...",
    "2026/01/01 12:00:00 Starting 4 worker processes (Linux SO_REUSEPORT)",
    "INFO:root:Starting 4 worker processes (Linux SO_REUSEPORT)",
    "\x1b[2m2026-01-01T12:00:00.123456Z\x1b[0m \x1b[32m INFO\x1b[0m bustapi::server: Starting 4 worker processes (Linux SO_REUSEPORT)",
    "[2026-01-01 12:00:00 +0000] [42] [INFO] Starting 4 worker processes (Linux SO_REUSEPORT)",
  ])("finds the substance behind a logger's prefix: %j", (line) => {
    expect(findLine([line], LINES.start(4))).toBe(line);
  });

  it("needs the substance from a word's start, with the right count", () => {
    expect(findLine(["Restarting 4 worker processes (Linux SO_REUSEPORT)"], LINES.start(4))).toBeUndefined();
    expect(
      findLine(["INFO Starting 14 worker processes (Linux SO_REUSEPORT)"], LINES.start(4)),
    ).toBeUndefined();
    expect(findLine(["INFO Shutting down"], LINES.shutdown)).toBeUndefined();
  });

  it("matches the fallback lines by platform name", () => {
    const lines = [
      "[BustAPI] Starting server on macOS (single process mode)...",
      "[BustAPI] Note: Multi-worker mode requires SO_REUSEPORT (Linux only)",
    ];
    expect(findLine(lines, LINES.fallbackStart("macOS"))).toBe(lines[0]);
    expect(findLine(lines, LINES.fallbackStart("Windows"))).toBeUndefined();
    expect(findLine(lines, LINES.fallbackNote)).toBe(lines[1]);
    expect(findLine(lines.slice(1), LINES.anyFallback)).toBe(lines[1]);
  });
});
