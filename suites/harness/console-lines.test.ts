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

  it("does not take a line that merely mentions the words", () => {
    expect(findLine(["error: not Shutting down workers"], LINES.shutdown)).toBeUndefined();
    expect(
      findLine(["Workers: Starting 4 worker processes (Linux SO_REUSEPORT)"], LINES.start(4)),
    ).toBeUndefined();
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
