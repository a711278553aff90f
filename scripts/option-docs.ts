import { readFileSync, writeFileSync } from "node:fs";
import { BENCH_OPTIONS } from "../cli/bench-command.ts";
import { COMPARE_OPTIONS } from "../cli/compare-command.ts";
import { CONFORMANCE_OPTIONS } from "../cli/conformance-command.ts";
import { LIFECYCLE_OPTIONS } from "../cli/lifecycle-command.ts";
import { REPORT_OPTIONS } from "../cli/report-command.ts";
import type { OptionTable } from "../common/cli-options.ts";

/**
 * docs/options.md, generated from the option tables the CLI parses with (as SPEC.md's list is from
 * the requirement table): the docs cannot drift from what is accepted. `make docs` writes it; a unit
 * test fails when it is stale.
 */
const COMMANDS: Array<[string, string, OptionTable]> = [
  ["conformance", "bustbench conformance [manifest.json] [options]", CONFORMANCE_OPTIONS],
  ["bench", "bustbench bench [options]", BENCH_OPTIONS],
  ["lifecycle", "bustbench lifecycle [manifest.json] [options]", LIFECYCLE_OPTIONS],
  ["report", "bustbench report [options]", REPORT_OPTIONS],
  ["compare", "bustbench compare OLD.json NEW.json [options]", COMPARE_OPTIONS],
];

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

export function renderOptionDocs(): string {
  const out = [
    "# Options",
    "",
    "<!-- generated from the CLI's option tables by `make docs`: edit cli/*-command.ts, not this file -->",
    "",
    "Every command also answers `--help` with the same table. `make bench` and `make conformance` pass",
    "`TARGET`, `WORKERS`, `DURATION`, `RUNS`, `CONNECTIONS`, `LOADER`, `QUICK` and `STRICT` on as the flags below.",
  ];
  for (const [name, usage, table] of COMMANDS) {
    out.push(
      "",
      `## ${name}`,
      "",
      `\`${usage}\``,
      "",
      "| option | default | meaning |",
      "| :--- | :--- | :--- |",
    );
    for (const [flag, spec] of Object.entries(table)) {
      const value = spec.type === "string" ? ` <${spec.valueName ?? "value"}>` : "";
      const short = spec.short ? `\`-${spec.short}\`, ` : "";
      const repeat = spec.multiple ? " (repeatable)" : "";
      out.push(
        `| ${short}\`--${flag}${value}\` | ${cell(spec.defaultText ?? "")} | ${cell(spec.description)}${repeat} |`,
      );
    }
  }
  return `${out.join("\n")}\n`;
}

export const OPTION_DOCS = new URL("../docs/options.md", import.meta.url);

if (process.argv[1]?.endsWith("option-docs.ts")) {
  const text = renderOptionDocs();
  if (readFileSync(OPTION_DOCS, { encoding: "utf8", flag: "a+" }) !== text) writeFileSync(OPTION_DOCS, text);
}
