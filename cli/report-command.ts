import { dirname, join, resolve } from "node:path";
import { parseCli, renderHelp } from "../common/cli-options.ts";
import { UsageError } from "../common/errors.ts";
import { benchCsv, conformanceCsv } from "../reports/csv.ts";
import { renderBmf } from "../reports/export/bmf.ts";
import { renderGithubBenchmark } from "../reports/export/github-benchmark.ts";
import { buildReportPage, collectReportData } from "../reports/html/build.ts";
import { renderMarkdown } from "../reports/markdown.ts";
import { newestPerTarget } from "../results/derive.ts";
import { benchSeries, lifecycleSeries } from "../results/series.ts";
import { writeOutput } from "./output.ts";

const FORMATS = ["html", "md", "csv", "bmf", "github-bigger", "github-smaller"];

export const REPORT_OPTIONS = {
  dir: {
    type: "string",
    valueName: "dir",
    description: "folder holding bench/ and conformance/ results",
    defaultText: "out",
  },
  format: {
    type: "string",
    valueName: "html|md|csv|bmf|github-bigger|github-smaller",
    description:
      "html: the report page; md: Markdown tables for pull requests and CI summaries; csv: bench.csv and conformance.csv; bmf: the newest bench and lifecycle figures of each target as Bencher Metric Format; github-bigger, github-smaller: the same for github-action-benchmark's customBiggerIsBetter and customSmallerIsBetter",
    defaultText: "html",
  },
  out: {
    type: "string",
    valueName: "path",
    description: "html, md, bmf, github-*: the file to write ('-' for stdout, all but html); csv: the folder",
    defaultText: "<dir>/index.html, <dir>/summary.md, <dir>/bmf.json, <dir>/github-bigger.json, <dir>",
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
  const { html, data } = buildReportPage(resolve(dir), dirname(page), version);
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
  const dir = values.dir ?? "out";
  const format = values.format ?? "html";
  if (format === "html") {
    if (values.out === "-") throw new UsageError("--out - (stdout) is not for --format html: give a file");
    const { path } = writeReport(dir, values.out, version);
    process.stdout.write(`Report: ${path}\n`);
    return 0;
  }
  if (!FORMATS.includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got '${format}'`);
  }
  const data = collectReportData(resolve(dir), resolve(dir), version);
  for (const s of data.skipped) process.stderr.write(`warning: skipped ${s.file}: ${s.reason}\n`);
  if (format === "bmf" || format === "github-bigger" || format === "github-smaller") {
    // What a continuous-benchmarking service follows: the newest bench and lifecycle run of each target.
    const figures = [
      ...[...newestPerTarget(data.bench.map((b) => b.result)).values()].flatMap(benchSeries),
      ...[...newestPerTarget((data.lifecycle ?? []).map((l) => l.result)).values()].flatMap(lifecycleSeries),
    ];
    if (figures.length === 0)
      throw new UsageError(`no bench or lifecycle result under ${dir}: nothing to export`);
    const text =
      format === "bmf"
        ? renderBmf(figures)
        : renderGithubBenchmark(figures, format === "github-bigger" ? "bigger" : "smaller");
    if (values.out === "-") {
      process.stdout.write(text);
      return 0;
    }
    process.stdout.write(
      `${format}: ${writeOutput(resolve(values.out ?? join(dir, `${format}.json`)), text)}\n`,
    );
    return 0;
  }
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
  if (values.out === "-")
    throw new UsageError("--out - (stdout) is not for --format csv: it writes two files");
  const folder = resolve(values.out ?? dir);
  const bench = writeOutput(join(folder, "bench.csv"), benchCsv(data.bench.map((b) => b.result)));
  const conformance = writeOutput(
    join(folder, "conformance.csv"),
    conformanceCsv(data.conformance.map((c) => c.report)),
  );
  process.stdout.write(`CSV: ${bench}, ${conformance}\n`);
  return 0;
}
