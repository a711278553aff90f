import { describe, expect, it } from "vitest";
import { digestLines, whereOf } from "./vitest-failure-digest.ts";

describe("the failure digest", () => {
  it("heads each failure with its file and test, and keeps its message's lines without colour", () => {
    const lines = digestLines([
      {
        file: "suites/conformance.integration.test.ts",
        test: "bustbench conformance > passes the reference",
        message: "SIGNAL-6 (fail): 421 lost\n\n  SIGINT: fail: \u001b[31m421\u001b[39m lost",
      },
      { file: "a.test.ts", test: "", message: "Cannot find module './b.ts'" },
    ]);
    expect(lines).toEqual([
      "FAIL suites/conformance.integration.test.ts > bustbench conformance > passes the reference",
      "    SIGNAL-6 (fail): 421 lost",
      "      SIGINT: fail: 421 lost",
      "FAIL a.test.ts",
      "    Cannot find module './b.ts'",
    ]);
  });

  it("shortens a long message to its first lines, each cut, and says how much was left out", () => {
    const message = Array.from({ length: 20 }, (_, i) => `line ${i} ${"x".repeat(i === 0 ? 500 : 1)}`).join(
      "\n",
    );
    const lines = digestLines([{ file: "f.test.ts", test: "t", message }]);
    expect(lines).toHaveLength(1 + 12 + 1);
    expect(lines[1]).toBe(`    line 0 ${"x".repeat(400 - 7)} …`);
    expect(lines[12]).toBe("    line 11 x");
    expect(lines.at(-1)).toBe("    … 8 more line(s) in the full output above");
  });

  it("names the line that failed, since a message like 'expected 0 to be greater than 0' names no figure", () => {
    const where = whereOf(
      [
        { method: "check", file: "/kit/runners/bench.integration.test.ts", line: 2 },
        { method: "", file: "file:///kit/runners/bench.integration.test.ts", line: 70 },
        { method: "run", file: "/kit/node_modules/vitest/dist/run.js", line: 1695 },
        { method: "", file: "/elsewhere/x.js", line: 1 },
      ],
      "/kit",
    );
    expect(where).toEqual([
      "runners/bench.integration.test.ts:2 (check)",
      "runners/bench.integration.test.ts:70",
    ]);
    expect(
      digestLines([{ file: "f.test.ts", test: "t", message: "expected 0 to be greater than 0", where }]).at(
        -1,
      ),
    ).toBe(
      "    at runners/bench.integration.test.ts:2 (check), called from runners/bench.integration.test.ts:70",
    );
    expect(digestLines([{ file: "f.test.ts", test: "t", message: "m", where: [] }])).toEqual([
      "FAIL f.test.ts > t",
      "    m",
    ]);
  });
});
