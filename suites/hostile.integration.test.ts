import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kitRoot } from "../common/paths.ts";
import type { ConformanceReport } from "../results/conformance.ts";
import { runCliAlone } from "../runners/test-support/cli-session.ts";

const HOSTILE = join(kitRoot(), "suites", "fixtures", "hostile");

/**
 * Targets that misbehave on purpose. For each, the suite must end in bounded
 * time with a clear verdict, and leave nothing running.
 */
const CASES = [
  {
    fixture: "missing-command",
    only: "SIGNAL-3",
    verdict: "fail",
    summary: /could not start \/nonexistent\/bustbench-no-such-server: spawn .* ENOENT/,
  },
  {
    fixture: "exits-at-once",
    only: "SIGNAL-3",
    verdict: "fail",
    summary: /exited before it was ready \(code 3\)/,
  },
  { fixture: "never-ready", only: "SIGNAL-3", verdict: "fail", summary: /not ready after 2000 ms/ },
  { fixture: "wrong-port", only: "SIGNAL-3", verdict: "fail", summary: /not ready after 2000 ms/ },
  {
    fixture: "ignores-signals",
    only: "SIGNAL-3",
    verdict: "fail",
    summary: /still running within 2000 ms of SIGINT/,
  },
  { fixture: "escapes-group", only: "SIGNAL-2", verdict: "fail", summary: /2 process\(es\) survived SIGINT/ },
  // Nothing lost is not a pass when no shutdown happened.
  {
    fixture: "ignores-signals",
    only: "SIGNAL-4",
    verdict: "fail",
    summary: /answered 200, but the started process still runs 2000 ms after SIGINT/,
  },
  {
    fixture: "ignores-signals",
    only: "SIGNAL-5",
    verdict: "fail",
    summary: /nothing lost, but the started process still runs 2000 ms after SIGTERM/,
    code: 0, // a SHOULD: shown, not blocking without --strict
  },
  { fixture: "floods-output", only: "SIGNAL-3", verdict: "pass", summary: /exit code 0/ },
] as const;

// Side by side (at most the project's maxConcurrency at once): each case is judged on its own run.
describe.concurrent("hostile targets", () => {
  it.each(CASES as ReadonlyArray<(typeof CASES)[number] & { code?: number }>)(
    "$fixture ($only): $verdict in bounded time, nothing left",
    async ({ fixture, only, verdict, summary, code }) => {
      const started = performance.now();
      const { run, leftovers } = await runCliAlone([
        "conformance",
        join(HOSTILE, `${fixture}.json`),
        "--only",
        only,
        "--json",
        "--out",
        mkdtempSync(join(tmpdir(), "bustbench-hostile-")),
      ]);
      const seconds = (performance.now() - started) / 1000;
      const report = JSON.parse(run.stdout) as ConformanceReport;
      const result = report.requirements[0];
      expect(result?.verdict, JSON.stringify(result?.cases.map((c) => c.summary))).toBe(verdict);
      expect(result?.summary).toMatch(summary);
      expect(run.code).toBe(code ?? (verdict === "pass" ? 0 : 1));
      // Bounded by the kit itself: every case decided, none cut off by the check's own deadline (how many
      // seconds that took is the host's doing).
      expect(
        result?.cases.filter((c) => /ran out of time/.test(c.summary)).map((c) => c.summary),
        `${seconds.toFixed(1)} s`,
      ).toEqual([]);
      expect(await leftovers()).toEqual([]);
    },
  );
});
