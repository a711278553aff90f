/**
 * Checks exported figures against the published shape of their format, as a service would read them:
 *   node scripts/check-exports.ts out/bmf.json out/github-bigger.json out/github-smaller.json
 * A file named bmf*.json is checked as Bencher Metric Format, github-*.json as github-action-benchmark's
 * custom JSON. Prints one line per file; exit code 0 when every file matches, 1 otherwise, 2 on bad use.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { Ajv } from "ajv";
import { BMF_SCHEMA, GITHUB_BENCHMARK_SCHEMA } from "../reports/export/formats.ts";

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write("usage: node scripts/check-exports.ts FILE.json...\n");
  process.exit(2);
}
const ajv = new Ajv({ strict: false, allErrors: true });
let bad = 0;
for (const file of files) {
  const schema = basename(file).startsWith("bmf") ? BMF_SCHEMA : GITHUB_BENCHMARK_SCHEMA;
  const format = schema === BMF_SCHEMA ? "Bencher Metric Format" : "github-action-benchmark custom JSON";
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    process.stdout.write(`${file}: not readable JSON (${(error as Error).message})\n`);
    bad++;
    continue;
  }
  const validate = ajv.compile(schema);
  const count = Array.isArray(data) ? data.length : Object.keys(data as object).length;
  if (validate(data)) process.stdout.write(`${file}: ${format}, ${count} entries: valid\n`);
  else {
    bad++;
    process.stdout.write(`${file}: ${format}: ${ajv.errorsText(validate.errors)}\n`);
  }
}
process.exitCode = bad > 0 ? 1 : 0;
