import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { errorLine, RuntimeError } from "../../common/errors.ts";
import { kitRoot } from "../../common/paths.ts";
import { loadResultFile } from "../../results/load.ts";
import type { PublishedDataset, ReportData } from "../../results/report-data.ts";
import { WARNINGS } from "../../results/warnings.ts";
import { renderPage } from "./page.ts";

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Reads every result under `dir` (bench/, conformance/ and lifecycle/), keeps the valid
 * ones and lists the rest with their reason, and returns the page's data.
 * Links in the page are relative to `pageDir`.
 */
export function collectReportData(dir: string, pageDir: string, kitVersion: string): ReportData {
  const skipped: ReportData["skipped"] = [];
  const bench: ReportData["bench"] = [];
  const conformance: ReportData["conformance"] = [];
  const lifecycle: NonNullable<ReportData["lifecycle"]> = [];
  const rel = (file: string) => relative(pageDir, file) || file;
  for (const file of jsonFiles(join(dir, "bench"))) {
    try {
      bench.push({ file: rel(file), result: loadResultFile(file, "bench") });
    } catch (error) {
      skipped.push({ file: rel(file), reason: errorLine(error).replace(`${file}: `, "") });
    }
  }
  for (const file of jsonFiles(join(dir, "conformance"))) {
    try {
      conformance.push({ file: rel(file), report: loadResultFile(file, "conformance") });
    } catch (error) {
      skipped.push({ file: rel(file), reason: errorLine(error).replace(`${file}: `, "") });
    }
  }
  for (const file of jsonFiles(join(dir, "lifecycle"))) {
    try {
      lifecycle.push({ file: rel(file), result: loadResultFile(file, "lifecycle") });
    } catch (error) {
      skipped.push({ file: rel(file), reason: errorLine(error).replace(`${file}: `, "") });
    }
  }
  bench.sort((a, b) => b.result.startedAt.localeCompare(a.result.startedAt));
  lifecycle.sort((a, b) => b.result.startedAt.localeCompare(a.result.startedAt));
  const published = JSON.parse(
    readFileSync(join(kitRoot(), "runners", "reference-data", "bustapi-published.json"), "utf8"),
  ) as PublishedDataset;
  return {
    generatedAt: new Date().toISOString(),
    kitVersion,
    bench,
    conformance,
    lifecycle,
    skipped,
    published,
    warnings: WARNINGS,
  };
}

/** The page's HTML for the results under `dir`. The dashboard bundle comes from `make build`. */
export function buildReportPage(
  dir: string,
  pageDir: string,
  kitVersion: string,
): { html: string; data: ReportData } {
  const appPath = join(kitRoot(), "dist", "dashboard", "app.js");
  if (!existsSync(appPath))
    throw new RuntimeError(`the dashboard is not built (${appPath} is missing): run make build`);
  const data = collectReportData(dir, pageDir, kitVersion);
  return { html: renderPage(data, readFileSync(appPath, "utf8")), data };
}
