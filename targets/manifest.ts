import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import type { ValidateFunction } from "ajv";
import { UsageError } from "../common/errors.ts";
import { readJsonFile } from "../common/json-file.ts";
import { describeSchemaError } from "../common/schema-error.ts";
import { fill, type TargetDefinition } from "./definition.ts";
import schema from "./manifest.schema.json" with { type: "json" };

/** A target manifest as written (see manifest.schema.json, the public definition). */
export interface ManifestFile {
  name: string;
  command: string[];
  cwd?: string;
  env?: Record<string, string>;
  debugArgs?: string[];
  platformEnv?: string;
  differsByDesign?: string[];
  routes?: { root: string; json: string; io?: string };
  readyPath?: string;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
  hangTimeoutMs?: number;
  expect?: Array<{ id: string; reason: string; until: string }>;
}

/** A requirement the target is known to fail, until a date: the suite reports it as expected (ids are the suite's to check). */
export interface ExpectedDeviation {
  id: string;
  reason: string;
  until: string;
}

/** A validated manifest with every default applied: how to run the target, and what the suite expects of it. */
export interface Manifest extends TargetDefinition {
  expect: ExpectedDeviation[];
}

export const MANIFEST_DEFAULTS = {
  routes: { root: "/", json: "/json" },
  readyPath: "/",
  startTimeoutMs: 10_000,
  stopTimeoutMs: 10_000,
  hangTimeoutMs: 10_000,
} as const;

let validator: ValidateFunction<ManifestFile> | undefined;

/**
 * Compiled on the first manifest read, with Ajv loaded then (about 0.1 CPU s together): the suite's
 * check workers take the manifest the CLI already validated (suites/harness/target.ts), and four of
 * them start at once on a 2-core host, before any check can run.
 */
function validate(data: unknown): data is ManifestFile {
  if (!validator) {
    const { Ajv } = createRequire(import.meta.url)("ajv") as typeof import("ajv");
    validator = new Ajv({ allErrors: false, strict: true }).compile<ManifestFile>(schema);
  }
  return validator(data);
}

/** Reads, validates and resolves a manifest; every problem is a one-line UsageError naming the key. */
export function loadManifest(path: string): Manifest {
  return resolveManifest(readJsonFile(path), resolve(path));
}

export function resolveManifest(data: unknown, absolutePath: string): Manifest {
  if (!validate(data))
    throw new UsageError(`${absolutePath}: ${describeSchemaError(validator?.errors?.[0])}`);
  const dir = dirname(absolutePath);
  const expect = (data.expect ?? []).map((entry, index) => {
    if (Number.isNaN(Date.parse(`${entry.until}T00:00:00Z`))) {
      throw new UsageError(`${absolutePath}: expect[${index}].until: not a date: '${entry.until}'`);
    }
    return { id: entry.id, reason: entry.reason, until: entry.until };
  });
  const manifest: Manifest = {
    name: data.name,
    path: absolutePath,
    dir,
    command: data.command,
    cwd: resolve(dir, data.cwd ?? "."),
    env: data.env ?? {},
    debugArgs: data.debugArgs,
    platformEnv: data.platformEnv,
    differsByDesign: data.differsByDesign ?? [],
    routes: data.routes ?? { ...MANIFEST_DEFAULTS.routes },
    readyPath: data.readyPath ?? MANIFEST_DEFAULTS.readyPath,
    startTimeoutMs: data.startTimeoutMs ?? MANIFEST_DEFAULTS.startTimeoutMs,
    stopTimeoutMs: data.stopTimeoutMs ?? MANIFEST_DEFAULTS.stopTimeoutMs,
    hangTimeoutMs: data.hangTimeoutMs ?? MANIFEST_DEFAULTS.hangTimeoutMs,
    expect,
  };
  // Fail on a misspelt placeholder now rather than in every check.
  const probe = { host: "h", port: 1, workers: 1 };
  manifest.command.forEach((part, i) => void fill(part, manifest, probe, `command[${i}]`));
  for (const [key, value] of Object.entries(manifest.env)) fill(value, manifest, probe, `env.${key}`);
  (manifest.debugArgs ?? []).forEach((part, i) => void fill(part, manifest, probe, `debugArgs[${i}]`));
  return manifest;
}
