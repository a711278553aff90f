import { check } from "../../harness/check.ts";
import { HINTS } from "../../harness/hints.ts";
import { stopAsToolsDo } from "../../harness/stop-as-tools-do.ts";

check("GROUP-1", { title: "a terminal's Ctrl+C stops it gracefully", needs: ["proc", "signals"] }, (ctx) =>
  stopAsToolsDo(ctx, {
    signal: "SIGINT",
    delivery: "group",
    tool: "a terminal's Ctrl+C (SIGINT to the process group)",
    cutHint: HINTS.ctrlC,
  }),
);
