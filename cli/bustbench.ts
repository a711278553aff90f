import { readFileSync } from "node:fs";
import { join } from "node:path";
import { errorLine, exitCodeOf, UsageError } from "../common/errors.ts";
import { kitRoot } from "../common/paths.ts";
import { benchCommand } from "./bench-command.ts";
import { compareCommand } from "./compare-command.ts";
import { conformanceCommand } from "./conformance-command.ts";
import { handleInterrupts } from "./interrupt.ts";
import { lifecycleCommand } from "./lifecycle-command.ts";
import { reportCommand } from "./report-command.ts";

/** Subcommands: adding one is one line here and one module beside this file. */
const COMMANDS: Record<
  string,
  { summary: string; run: (argv: readonly string[], version: string) => Promise<number> }
> = {
  conformance: { summary: "check an implementation against SPEC.md", run: conformanceCommand },
  bench: { summary: "measure RPS and latency at 1, 2, 4 and 8 workers", run: benchCommand },
  lifecycle: {
    summary: "what each way of stopping, killing or hanging the server costs, under load",
    run: lifecycleCommand,
  },
  report: { summary: "build the HTML report from the results under out/", run: reportCommand },
  compare: {
    summary: "compare two benchmark results; exit 1 on a significant regression",
    run: compareCommand,
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`,
  );
  return `Usage: bustbench <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun 'bustbench <command> --help' for its options.\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const version = (JSON.parse(readFileSync(join(kitRoot(), "package.json"), "utf8")) as { version: string })
    .version;
  if (name === "--version" || name === "-v") {
    process.stdout.write(`bustbench ${version}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command)
    throw new UsageError(`unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(", ")})`);
  return command.run(rest, version);
}

handleInterrupts();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${errorLine(error)}\n`);
    process.exitCode = exitCodeOf(error);
  },
);
