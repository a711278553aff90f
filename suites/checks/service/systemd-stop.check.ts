import { check } from "../../harness/check.ts";
import { HINTS } from "../../harness/hints.ts";
import { stopAsToolsDo } from "../../harness/stop-as-tools-do.ts";

check(
  "SERVICE-1",
  {
    title: "systemctl stop (SIGTERM to every process) stops it gracefully",
    needs: ["proc", "linux", "signals"],
  },
  (ctx) =>
    stopAsToolsDo(ctx, {
      signal: "SIGTERM",
      delivery: "service",
      tool: "systemctl stop (SIGTERM to every process of the service at once)",
      cutHint: HINTS.termToAll,
    }),
);
