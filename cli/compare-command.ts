import { parseCli, renderHelp } from "../common/cli-options.ts";
import { UsageError } from "../common/errors.ts";
import { renderComparison } from "../reports/console/compare.ts";
import { compareResults, hardwareDifference } from "../results/compare.ts";
import { loadResultFile } from "../results/load.ts";

export const COMPARE_OPTIONS = {
  threshold: {
    type: "string",
    valueName: "pct",
    description: "smallest drop that counts as a regression",
    defaultText: "5",
  },
  force: {
    type: "boolean",
    description: "compare runs from different hardware (CPU model, CPU count, memory)",
  },
  json: { type: "boolean", description: "print the comparison as JSON" },
  help: { type: "boolean", short: "h", description: "show this help" },
} as const;

const SUMMARY = `Compares two benchmark results point by point (Welch's t-test on the runs).
Exit code: 1 when a point is significantly slower by more than the threshold, 0 otherwise, 2 for bad input.`;

export async function compareCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCli(COMPARE_OPTIONS, argv, { maxPositionals: 2 });
  if (values.help) {
    process.stdout.write(
      renderHelp("bustbench compare OLD.json NEW.json [options]", SUMMARY, COMPARE_OPTIONS),
    );
    return 0;
  }
  const [oldPath, newPath] = positionals;
  if (!oldPath || !newPath) throw new UsageError("compare needs two result files: OLD.json NEW.json");
  const threshold = Number(values.threshold ?? "5");
  if (!/^\d+(\.\d+)?$/.test(values.threshold ?? "5") || threshold <= 0 || threshold >= 100) {
    throw new UsageError(`--threshold must be a percentage between 0 and 100, got '${values.threshold}'`);
  }
  const older = loadResultFile(oldPath, "bench");
  const newer = loadResultFile(newPath, "bench");
  const difference = hardwareDifference(older, newer);
  if (difference && !values.force) {
    throw new UsageError(
      `the runs come from different hardware (${difference}): their figures are not comparable; --force compares them anyway`,
    );
  }
  const comparison = compareResults(older, newer, threshold);
  process.stdout.write(
    values.json ? `${JSON.stringify(comparison, null, 2)}\n` : renderComparison(comparison, oldPath, newPath),
  );
  return comparison.regressions > 0 ? 1 : 0;
}
