import { check } from "../../harness/check.ts";
import { HINTS } from "../../harness/hints.ts";
import { stopAsToolsDo } from "../../harness/stop-as-tools-do.ts";

check(
  "GROUP-2",
  { title: "SIGTERM to the process group stops it gracefully", needs: ["proc", "signals"] },
  (ctx) =>
    stopAsToolsDo(ctx, {
      signal: "SIGTERM",
      delivery: "group",
      tool: "SIGTERM to the process group (kill -TERM -PGID)",
      cutHint: HINTS.termToAll,
    }),
);
