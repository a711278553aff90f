import { dirname, join, resolve } from "node:path";
import { parseCli, renderHelp } from "../common/cli-options.ts";
import { buildReport } from "../reports/build-report.ts";
import { writeOutput } from "./output.ts";

export const REPORT_OPTIONS = {
  dir: {
    type: "string",
    valueName: "dir",
    description: "folder holding bench/ and conformance/ results",
    defaultText: "reports",
  },
  out: {
    type: "string",
    valueName: "file",
    description: "the HTML file to write",
    defaultText: "<dir>/index.html",
  },
  help: { type: "boolean", short: "h", description: "show this help" },
} as const;

/** Rebuilds the HTML report; also called at the end of bench and conformance. Returns the page's path. */
export function writeReport(
  dir: string,
  out: string | undefined,
  version: string,
): { path: string; skipped: number } {
  const page = resolve(out ?? join(dir, "index.html"));
  const { html, data } = buildReport(resolve(dir), dirname(page), version);
  for (const s of data.skipped) process.stderr.write(`warning: skipped ${s.file}: ${s.reason}\n`);
  return { path: writeOutput(page, html), skipped: data.skipped.length };
}

export async function reportCommand(argv: readonly string[], version: string): Promise<number> {
  const { values } = parseCli(REPORT_OPTIONS, argv);
  if (values.help) {
    process.stdout.write(
      renderHelp(
        "bustbench report [options]",
        "Builds the self-contained HTML report from every result file.",
        REPORT_OPTIONS,
      ),
    );
    return 0;
  }
  const { path } = writeReport(values.dir ?? "reports", values.out, version);
  process.stdout.write(`Report: ${path}\n`);
  return 0;
}
