import { readFileSync } from "node:fs";
import { UsageError } from "../../common/errors.ts";
import { REFERENCE_MANIFEST } from "../../targets/known.ts";
import { loadManifest, type Manifest } from "../../targets/manifest.ts";
import { REQUIREMENTS, type Requirement, type RequirementId } from "../requirements.ts";

/** The environment variable through which the CLI tells the checks which manifest to run against. */
export const TARGET_ENV = "BUSTBENCH_TARGET";

/**
 * The manifest the CLI read and validated, as JSON: the checks take it as it was when the run began (an
 * edit of the file meanwhile changes nothing), and a check worker need not load and compile the
 * manifest's schema again before its first check.
 */
export const TARGET_MANIFEST_ENV = "BUSTBENCH_TARGET_MANIFEST";

/** Through which the CLI tells the checks which requirements were selected (`--only`); all when unset. */
export const ONLY_ENV = "BUSTBENCH_ONLY";

/** Whether the check of `id` is to run: a file that declares several checks runs only the selected ones. */
export function selected(id: string): boolean {
  const only = process.env[ONLY_ENV];
  return !only || only.split(",").includes(id);
}

/**
 * A file the CLI appends `ID cause` to as soon as a check fails with a cause others depend on
 * (`workers-missing`, `no-exit`): a dependent check that starts after that is not run, since its
 * verdict can only be "not judged" (see applyDependencies), and it would wait out the timeouts.
 */
export const ROOT_FAILURES_ENV = "BUSTBENCH_ROOT_FAILURES";

/** The failed dependency that makes the check of `id` pointless, if one is known already. */
export function failedDependency(id: string): { id: string; cause: string } | undefined {
  const path = process.env[ROOT_FAILURES_ENV];
  const requirement: Requirement | undefined = REQUIREMENTS[id as RequirementId];
  if (!path || !requirement?.dependsOn) return undefined;
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  const failed = text
    .split("\n")
    .map((line) => line.split(" "))
    .filter((parts): parts is [string, string] => parts.length === 2);
  for (const dependency of requirement.dependsOn) {
    const hit = failed.find(
      ([root, cause]) => root === dependency.id && (dependency.when as readonly string[]).includes(cause),
    );
    if (hit) return { id: hit[0], cause: hit[1] };
  }
  return undefined;
}

/** A manifest as the suite reads it: its `expect` entries must name requirements of SPEC.md. */
export function loadSuiteManifest(path: string): Manifest {
  const manifest = loadManifest(path);
  manifest.expect.forEach((entry, index) => {
    if (!(entry.id in REQUIREMENTS)) {
      throw new UsageError(
        `${manifest.path}: expect[${index}].id: unknown requirement '${entry.id}' (see SPEC.md)`,
      );
    }
  });
  return manifest;
}

let cached: Manifest | undefined;

export function currentTarget(): Manifest {
  const handed = process.env[TARGET_MANIFEST_ENV];
  cached ??= handed
    ? (JSON.parse(handed) as Manifest)
    : loadSuiteManifest(process.env[TARGET_ENV] || REFERENCE_MANIFEST);
  return cached;
}
