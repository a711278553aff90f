import { findLine, LINES, normalizeLine } from "../../../targets/console-lines.ts";
import { check } from "../../harness/check.ts";
import { HINTS } from "../../harness/hints.ts";
import { fail, pass } from "../../harness/outcome.ts";
import { outputUntilEnd } from "../../harness/output.ts";

check(
  "SPAWN-2",
  {
    title: "start line announces the worker count",
    observes: true,
    needs: ["linux"],
    cases: [2, 4],
    caseLabel: (n) => `workers=${n}`,
  },
  async (ctx, n) => {
    const instance = await ctx.start({ workers: n });
    const lines = await outputUntilEnd(ctx, instance, [LINES.start(n)], { workers: n });
    const line = findLine(lines, LINES.start(n));
    ctx.evidence.firstLines = lines.slice(0, 12);
    if (line !== undefined) return pass(`printed "${line.trim()}"`);
    const other = findLine(lines, LINES.anyStart);
    const announced =
      other === undefined ? undefined : LINES.anyStart.pattern.exec(normalizeLine(other))?.[1];
    return fail(
      other ? `the start line announces ${announced} workers, not ${n}` : "no start line",
      `a line "${LINES.start(n).description}"`,
      other ? `"${other.trim()}"` : `${lines.length} line(s) until exit, none matching`,
      other ? undefined : HINTS.bufferedOutput,
    );
  },
);
