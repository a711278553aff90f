import { dirname, join, resolve } from "node:path";
import { parseCli, renderHelp } from "../common/cli-options.ts";
import { UsageError } from "../common/errors.ts";
import { benchCsv, conformanceCsv } from "../reports/csv.ts";
import { buildReport, collectReportData } from "../reports/html/build.ts";
import { renderMarkdown } from "../reports/markdown.ts";
import { writeOutput } from "./output.ts";

export const REPORT_OPTIONS = {
  dir: {
    type: "string",
    valueName: "dir",
    description: "folder holding bench/ and conformance/ results",
    defaultText: "reports",
  },
  format: {
    type: "string",
    valueName: "html|md|csv",
    description:
      "html: the report page; md: Markdown tables for pull requests and CI summaries; csv: bench.csv and conformance.csv",
    defaultText: "html",
  },
  out: {
    type: "string",
    valueName: "path",
    description: "html, md: the file to write ('-' for stdout, md only); csv: the folder",
    defaultText: "<dir>/index.html, <dir>/summary.md, <dir>",
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
  const dir = values.dir ?? "reports";
  const format = values.format ?? "html";
  if (format === "html") {
    if (values.out === "-") throw new UsageError("--out - (stdout) is for --format md");
    const { path } = writeReport(dir, values.out, version);
    process.stdout.write(`Report: ${path}\n`);
    return 0;
  }
  if (format !== "md" && format !== "csv") {
    throw new UsageError(`--format must be html, md or csv, got '${format}'`);
  }
  const data = collectReportData(resolve(dir), resolve(dir), version);
  for (const s of data.skipped) process.stderr.write(`warning: skipped ${s.file}: ${s.reason}\n`);
  if (format === "md") {
    const markdown = renderMarkdown(data);
    if (values.out === "-") {
      process.stdout.write(markdown);
      return 0;
    }
    process.stdout.write(
      `Markdown: ${writeOutput(resolve(values.out ?? join(dir, "summary.md")), markdown)}\n`,
    );
    return 0;
  }
  if (values.out === "-") throw new UsageError("--out - (stdout) is for --format md");
  const folder = resolve(values.out ?? dir);
  const bench = writeOutput(join(folder, "bench.csv"), benchCsv(data.bench.map((b) => b.result)));
  const conformance = writeOutput(
    join(folder, "conformance.csv"),
    conformanceCsv(data.conformance.map((c) => c.report)),
  );
  process.stdout.write(`CSV: ${bench}, ${conformance}\n`);
  return 0;
}
