import { join } from "node:path";
import { parseCli, renderHelp, wholeNumber } from "../common/cli-options.ts";
import { UsageError } from "../common/errors.ts";
import { slug } from "../common/paths.ts";
import { renderLifecycle } from "../reports/console/lifecycle.ts";
import type { LifecycleEventId } from "../results/lifecycle.ts";
import { LIFECYCLE_DEFAULTS, LIFECYCLE_EVENTS, runLifecycle } from "../runners/lifecycle.ts";
import { REFERENCE_MANIFEST } from "../targets/known.ts";
import { loadManifest } from "../targets/manifest.ts";
import { progressLine, writeOutput } from "./output.ts";

export const LIFECYCLE_OPTIONS = {
  workers: {
    type: "string",
    valueName: "n",
    description: "workers of the target",
    defaultText: String(LIFECYCLE_DEFAULTS.workers),
  },
  rate: {
    type: "string",
    valueName: "n",
    description: "new connections per second across each event",
    defaultText: String(LIFECYCLE_DEFAULTS.ratePerS),
  },
  runs: {
    type: "string",
    valueName: "n",
    description: "runs per event",
    defaultText: String(LIFECYCLE_DEFAULTS.runs),
  },
  events: {
    type: "string",
    valueName: "ids",
    description: `events to measure, comma-separated: ${LIFECYCLE_EVENTS.map((e) => e.id).join(", ")}`,
    defaultText: "all",
  },
  "no-migrate-req": {
    type: "boolean",
    description:
      "do not measure again with net.ipv4.tcp_migrate_req=1 (it is set only as root, and restored)",
  },
  out: {
    type: "string",
    valueName: "dir",
    description: "where to write the JSON",
    defaultText: "out/lifecycle",
  },
  json: { type: "boolean", description: "print the JSON result on stdout instead of the table" },
  help: { type: "boolean", short: "h", description: "show this help" },
} as const;

const SUMMARY = `Stops, kills and hangs the target the ways production does (Ctrl+C, docker stop, systemctl
stop, a worker killed or hung, the primary killed), each under an open-loop load of new connections,
and counts what each event costs: requests answered, refused, lost and hung, recovery, what is left.`;

export async function lifecycleCommand(argv: readonly string[], version: string): Promise<number> {
  const { values, positionals } = parseCli(LIFECYCLE_OPTIONS, argv, { maxPositionals: 1 });
  if (values.help) {
    process.stdout.write(
      renderHelp("bustbench lifecycle [manifest.json] [options]", SUMMARY, LIFECYCLE_OPTIONS),
    );
    return 0;
  }
  const known = LIFECYCLE_EVENTS.map((e) => e.id);
  const events = values.events
    ? values.events.split(",").map((id) => {
        const name = id.trim();
        if (!(known as string[]).includes(name))
          throw new UsageError(`--events: unknown event '${name}' (events: ${known.join(", ")})`);
        return name as LifecycleEventId;
      })
    : known;
  const target = loadManifest(positionals[0] ?? REFERENCE_MANIFEST);
  const options = {
    workers: wholeNumber("--workers", values.workers, LIFECYCLE_DEFAULTS.workers, 2, 64),
    ratePerS: wholeNumber("--rate", values.rate, LIFECYCLE_DEFAULTS.ratePerS, 1, 50_000),
    runs: wholeNumber("--runs", values.runs, LIFECYCLE_DEFAULTS.runs, 1, 100),
    hungAfterMs: LIFECYCLE_DEFAULTS.hungAfterMs,
    migrateReq: !values["no-migrate-req"],
    events,
  };
  const progress = progressLine();
  const result = await runLifecycle(target, options, version, {
    onRun: (event, run, runs, migrate) => {
      const text = `${event.label}${migrate ? ", tcp_migrate_req=1" : ""}: run ${run} of ${runs}`;
      progress.update(text);
      progress.milestone(text);
    },
  });
  progress.done();
  const stamp = result.startedAt.replace(/[:.]/g, "-").replace(/-\d{3}Z$/, "Z");
  const path = writeOutput(
    join(values.out ?? join("out", "lifecycle"), `${stamp}-${slug(result.target.name)}.json`),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  process.stdout.write(
    values.json ? `${JSON.stringify(result, null, 2)}\n` : renderLifecycle(result, { json: path }),
  );
  return 0;
}
