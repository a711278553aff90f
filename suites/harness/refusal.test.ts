import { describe, expect, it } from "vitest";
import { stackTraceLine } from "./refusal.ts";

describe("stackTraceLine", () => {
  it.each([
    ["    at Object.<anonymous> (/srv/app.js:10:5)"],
    ["    at node:internal/main/run_main_module:33:47"],
    ["Traceback (most recent call last):"],
    ['  File "/srv/app.py", line 3, in <module>'],
    ["thread 'main' panicked at src/main.rs:2:5:"],
    ["goroutine 1 [running]:"],
  ])("finds %j", (line) => {
    expect(stackTraceLine(["error: bad", line])).toBe(line);
  });

  it("leaves clear errors alone", () => {
    expect(
      stackTraceLine(["error: --workers must be a positive integer, got '0'", "  at most 512 workers"]),
    ).toBeUndefined();
  });
});
