import { parseCli, renderHelp } from "../../common/cli-options.ts";
import { errorLine, exitCodeOf } from "../../common/errors.ts";
import { DEFAULTS } from "./options.ts";
import { PLATFORM_ENV } from "./platform.ts";
import { quickstartApp, REFERENCE_NAME, REFERENCE_VERSION } from "./quickstart.ts";
import { REFERENCE_SEAMS, type Seams } from "./seams.ts";

const OPTIONS = {
  host: { type: "string", valueName: "addr", description: "address to bind", defaultText: DEFAULTS.host },
  port: { type: "string", valueName: "n", description: "TCP port, 0 for a free one", defaultText: "5000" },
  workers: {
    type: "string",
    valueName: "n",
    description: "worker processes",
    defaultText: "CPU count, 1 in debug",
  },
  debug: { type: "boolean", description: "debug mode: one process, requests logged; ignores --workers" },
  "grace-ms": {
    type: "string",
    valueName: "ms",
    description: "drain time a worker gets after SIGTERM before SIGKILL",
    defaultText: String(DEFAULTS.graceMs),
  },
  version: { type: "boolean", short: "v", description: "print the version and exit" },
  help: { type: "boolean", short: "h", description: "show this help and exit" },
} as const;

const SUMMARY = `The bustbench reference server: BustAPI's multiprocessing contract on node:cluster.
On Linux, --workers N forks N workers that each bind host:port with SO_REUSEPORT.
${PLATFORM_ENV}=linux|darwin|win32 makes it behave as that OS (a test hook).`;

/** The reference's command line: parse `argv`, then serve with `seams` (the reference's own by default). */
export async function main(argv: string[], seams: Seams = REFERENCE_SEAMS): Promise<void> {
  const { values } = parseCli(OPTIONS, argv);
  if (values.help) {
    process.stdout.write(renderHelp("bustbench-reference [options]", SUMMARY, OPTIONS));
    return;
  }
  if (values.version) {
    process.stdout.write(`${REFERENCE_NAME} ${REFERENCE_VERSION} (node ${process.version})\n`);
    return;
  }
  await quickstartApp().run(
    {
      host: values.host,
      port: values.port,
      workers: values.workers,
      debug: values.debug,
      graceMs: values["grace-ms"],
    },
    seams,
  );
}

/** Runs `main` as a program: a closed stdout is no crash, and an error is one line and an exit code. */
export function runAsProgram(argv: string[], seams: Seams = REFERENCE_SEAMS): void {
  // A closed stdout (`| head`, a gone terminal) must not crash a server mid-shutdown.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
  }
  main(argv, seams).catch((error: unknown) => {
    process.stderr.write(`error: ${errorLine(error)}\n`);
    process.exit(exitCodeOf(error));
  });
}
