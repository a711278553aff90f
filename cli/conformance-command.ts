import { join } from "node:path";
import { parseCli, renderHelp } from "../common/cli-options.ts";
import { UsageError } from "../common/errors.ts";
import { slug } from "../common/paths.ts";
import { renderConsole } from "../reports/console/conformance.ts";
import { renderJunit } from "../reports/junit.ts";
import { VERDICTS } from "../results/verdicts.ts";
import { loadSuiteManifest } from "../suites/harness/target.ts";
import { REQUIREMENT_IDS, REQUIREMENTS, type RequirementId } from "../suites/requirements.ts";
import { runSuite } from "../suites/run-suite.ts";
import { REFERENCE_MANIFEST } from "../targets/known.ts";
import { progressLine, writeOutput } from "./output.ts";

export const CONFORMANCE_OPTIONS = {
  strict: { type: "boolean", description: "SHOULD failures fail the gate too" },
  out: {
    type: "string",
    valueName: "dir",
    description: "where to write the JSON and JUnit files",
    defaultText: "out/conformance",
  },
  only: {
    type: "string",
    valueName: "ids",
    description: "run only these requirements or areas, comma-separated (SIGNAL-4,PORT)",
  },
  json: { type: "boolean", description: "print the JSON report on stdout instead of the table" },
  today: {
    type: "string",
    valueName: "date",
    description: "judge `expect` dates as of this day, YYYY-MM-DD",
    defaultText: "today (UTC)",
  },
  help: { type: "boolean", short: "h", description: "show this help" },
} as const;

const SUMMARY = `Checks an implementation against every requirement of SPEC.md, from the outside.
Exit code: 0 when the gate passes, 1 when it fails, 2 for a bad manifest or bad usage.`;

export async function conformanceCommand(argv: readonly string[], version: string): Promise<number> {
  const { values, positionals } = parseCli(CONFORMANCE_OPTIONS, argv, { maxPositionals: 1 });
  if (values.help) {
    process.stdout.write(
      renderHelp("bustbench conformance [manifest.json] [options]", SUMMARY, CONFORMANCE_OPTIONS),
    );
    return 0;
  }
  const today = values.today ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(today))) {
    throw new UsageError(`--today must be a date as YYYY-MM-DD, got '${today}'`);
  }
  const only = values.only === undefined ? undefined : selectRequirements(values.only);
  const manifest = loadSuiteManifest(positionals[0] ?? REFERENCE_MANIFEST);
  const progress = progressLine();
  const { report, harnessErrors } = await runSuite(manifest, {
    strict: values.strict ?? false,
    today,
    ...(only ? { only } : {}),
    suiteVersion: version,
    progress: (done, latest) =>
      progress.update(
        `[${done}] ${VERDICTS[latest.status === "not-applicable" ? "not-applicable" : latest.status].mark} ${latest.requirement}${latest.case ? ` [${latest.case}]` : ""}`,
      ),
  });
  progress.done();
  const dir = values.out ?? join("out", "conformance");
  // A partial run (--only) never overwrites what a full run of the target wrote.
  const base = join(dir, `${slug(manifest.name)}${report.options.only === null ? "" : ".partial"}`);
  const jsonPath = writeOutput(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  const junitPath = writeOutput(`${base}.junit.xml`, renderJunit(report));
  for (const error of harnessErrors) process.stderr.write(`warning: ${error}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else
    process.stdout.write(
      `${renderConsole(report, { width: process.stdout.columns ?? 120 })}JSON:  ${jsonPath}\nJUnit: ${junitPath}\n`,
    );
  return report.gate.exitCode;
}

/** `SIGNAL-4,PORT` -> the ids named, and every id of the areas named, in SPEC.md's order. */
export function selectRequirements(list: string): RequirementId[] {
  const wanted = list
    .split(",")
    .map((part) => part.trim().toUpperCase())
    .filter(Boolean);
  if (wanted.length === 0) throw new UsageError("--only needs at least one requirement id or area");
  for (const name of wanted) {
    const known = name in REQUIREMENTS || REQUIREMENT_IDS.some((id) => REQUIREMENTS[id].area === name);
    if (!known) throw new UsageError(`--only: unknown requirement or area '${name}' (see SPEC.md)`);
  }
  return REQUIREMENT_IDS.filter((id) => wanted.includes(id) || wanted.includes(REQUIREMENTS[id].area));
}
