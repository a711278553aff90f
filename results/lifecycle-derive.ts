import type { LifecycleEventResult, LifecycleResult, LifecycleRun } from "./lifecycle.ts";

/**
 * Pure: the lifecycle matrix's cells, the same in the console, the Markdown and the page.
 */

/** "3" or "3 (2, 1, 0)": a count summed over the runs, each run's in brackets when there are several. */
export function countText(runs: readonly LifecycleRun[], pick: (run: LifecycleRun) => number): string {
  const values = runs.map(pick);
  const total = values.reduce((sum, v) => sum + v, 0);
  const n = new Intl.NumberFormat("en-US").format(total);
  return values.length > 1 ? `${n} (${values.join(", ")})` : n;
}

/** What was left running after an event that stops the server, in a few words; "-" for events it survives. */
export function leftRunningText(event: LifecycleEventResult): string {
  if (!event.stops) return "-";
  const survivors = event.runs.flatMap((run) => run.leftRunning);
  if (survivors.length === 0) return "nothing";
  const answered = event.runs.some((run) => run.portAnsweredAfter);
  const who = [...new Set(survivors.map((s) => s.role))].join(", ");
  return `${survivors.length} process(es) (${who})${answered ? ", still answering" : ""}`;
}

/** Then: the started process's exit after an event that stops it, or how fast the workers served again. */
export function outcomeText(event: LifecycleEventResult): string {
  if (!event.stops) {
    const recovered = event.runs.map((run) => run.recoveryMs);
    return recovered.every((ms) => ms !== null)
      ? `recovered in ${recovered.map((ms) => `${ms} ms`).join(", ")}`
      : `not recovered in ${recovered.filter((ms) => ms === null).length} of ${recovered.length} run(s)`;
  }
  const exits = [...new Set(event.runs.map((run) => run.exit ?? "still running"))];
  const line =
    event.id === "primary-kill" || event.runs.every((run) => run.shutdownLine) ? "" : "; no shutdown line";
  return `${exits.join(" / ")}${line}`;
}

export const LIFECYCLE_LEGEND =
  "refused: never accepted, the client knows and can retry; lost: accepted, then reset or closed unanswered; hung: no connection or no answer within the bound.";

/** The matrix's columns (counts are right-aligned), and one row of cells per event: every renderer prints these. */
export const LIFECYCLE_COLUMNS: ReadonlyArray<{ name: string; numeric: boolean }> = [
  { name: "event", numeric: false },
  { name: "as done by", numeric: false },
  { name: "answered", numeric: true },
  { name: "refused", numeric: true },
  { name: "lost", numeric: true },
  { name: "hung", numeric: true },
  { name: "then", numeric: false },
  { name: "left running", numeric: false },
];

export function lifecycleRows(result: LifecycleResult): string[][] {
  return result.events.map((e) =>
    e.notApplicable !== undefined
      ? [e.label, e.tool, "-", "-", "-", "-", `not applicable: ${e.notApplicable}`, "-"]
      : [
          e.label,
          e.tool,
          countText(e.runs, (r) => r.answered),
          countText(e.runs, (r) => r.refused),
          countText(e.runs, (r) => r.lost),
          countText(e.runs, (r) => r.hung),
          outcomeText(e),
          leftRunningText(e),
        ],
  );
}
