import { textTable } from "../../common/text-table.ts";
import { formatInteger } from "../../results/derive.ts";
import type { LifecycleEventResult, LifecycleResult, LifecycleRun } from "../../results/lifecycle.ts";

const right = (header: string) => ({ header, align: "right" as const });

/** "3" or "3 (2, 1, 0)": a count summed over the runs, each run's in brackets when there are several. */
function perRun(runs: readonly LifecycleRun[], pick: (run: LifecycleRun) => number): string {
  const values = runs.map(pick);
  const total = values.reduce((sum, v) => sum + v, 0);
  return values.length > 1 ? `${formatInteger(total)} (${values.join(", ")})` : formatInteger(total);
}

/** What was left running after an event, in a few words. */
export function leftRunningText(event: LifecycleEventResult): string {
  if (!event.stops) return "-";
  const survivors = event.runs.flatMap((run) => run.leftRunning);
  if (survivors.length === 0) return "nothing";
  const answered = event.runs.some((run) => run.portAnsweredAfter);
  const who = [...new Set(survivors.map((s) => s.role))].join(", ");
  return `${survivors.length} process(es) (${who})${answered ? ", still answering" : ""}`;
}

/** The outcome of the server's own process: its exit, or that it stayed up and recovered. */
export function outcomeText(event: LifecycleEventResult): string {
  if (!event.stops) {
    const recovered = event.runs.map((run) => run.recoveryMs);
    return recovered.every((ms) => ms !== null)
      ? `recovered in ${recovered.map((ms) => `${ms} ms`).join(", ")}`
      : `not recovered in ${recovered.filter((ms) => ms === null).length} of ${recovered.length} run(s)`;
  }
  const exits = [...new Set(event.runs.map((run) => run.exit ?? "still running"))];
  const line = event.runs.every((run) => run.shutdownLine)
    ? ""
    : event.id === "primary-kill"
      ? ""
      : "; no shutdown line";
  return `${exits.join(" / ")}${line}`;
}

/** Pure: the matrix, one row per event. */
export function renderLifecycle(result: LifecycleResult, paths: { json?: string } = {}): string {
  const { options } = result;
  const rows = result.events.map((event) => [
    event.label,
    event.tool,
    perRun(event.runs, (r) => r.answered),
    perRun(event.runs, (r) => r.refused),
    perRun(event.runs, (r) => r.lost),
    perRun(event.runs, (r) => r.hung),
    outcomeText(event),
    leftRunningText(event),
  ]);
  const how = result.events
    .filter((e) => e.how && e.id === "sigterm-service")
    .map((e) => `  ${e.label}: ${e.how}`);
  return `${[
    `bustbench lifecycle: ${result.target.name}${result.complete ? "" : "  [INCOMPLETE]"}`,
    `${options.workers} workers, ${formatInteger(options.ratePerS)} new connections/s (one request each), the event 1 s in; ${options.runs} run(s) per event; hung: no answer within ${options.hungAfterMs} ms`,
    "",
    ...textTable(
      [
        "event",
        "as done by",
        right("answered"),
        right("refused"),
        right("lost"),
        right("hung"),
        "then",
        "left running",
      ],
      rows,
      { indent: " " },
    ),
    "",
    "refused: never accepted, the client knows and can retry; lost: accepted, then reset or closed unanswered; hung: accepted, no answer in time.",
    ...(how.length > 0 ? ["Signalled:", ...how] : []),
    ...(paths.json ? ["", `JSON:   ${paths.json}`] : []),
  ].join("\n")}\n`;
}
