import { textTable } from "../../common/text-table.ts";
import { formatInteger } from "../../results/derive.ts";
import type { LifecycleResult } from "../../results/lifecycle.ts";
import { LIFECYCLE_COLUMNS, LIFECYCLE_LEGEND, lifecycleRows } from "../../results/lifecycle-derive.ts";

/** Pure: the matrix, one row per event. */
export function renderLifecycle(result: LifecycleResult, paths: { json?: string } = {}): string {
  const { options } = result;
  const rows = lifecycleRows(result);
  const how = result.events
    .filter((e) => e.how && e.id === "sigterm-service")
    .map((e) => `  ${e.label}: ${e.how}`);
  return `${[
    `bustbench lifecycle: ${result.target.name}${result.complete ? "" : "  [INCOMPLETE]"}`,
    `${options.workers} workers, ${formatInteger(options.ratePerS)} new connections/s (one request each), the event 1 s in; ${options.runs} run(s) per event; hung: no connection or answer within ${options.hungAfterMs} ms`,
    "",
    ...textTable(
      LIFECYCLE_COLUMNS.map((c) => (c.numeric ? { header: c.name, align: "right" as const } : c.name)),
      rows,
      { indent: " " },
    ),
    "",
    LIFECYCLE_LEGEND,
    ...(how.length > 0 ? ["Signalled:", ...how] : []),
    ...(paths.json ? ["", `JSON:   ${paths.json}`] : []),
  ].join("\n")}\n`;
}
