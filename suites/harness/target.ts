import { UsageError } from "../../common/errors.ts";
import { REFERENCE_MANIFEST } from "../../targets/known.ts";
import { loadManifest, type Manifest } from "../../targets/manifest.ts";
import { REQUIREMENTS } from "../requirements.ts";

/** The environment variable through which the CLI tells the checks which manifest to run against. */
export const TARGET_ENV = "BUSTBENCH_TARGET";

/** Through which the CLI tells the checks which requirements were selected (`--only`); all when unset. */
export const ONLY_ENV = "BUSTBENCH_ONLY";

/** Whether the check of `id` is to run: a file that declares several checks runs only the selected ones. */
export function selected(id: string): boolean {
  const only = process.env[ONLY_ENV];
  return !only || only.split(",").includes(id);
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
  cached ??= loadSuiteManifest(process.env[TARGET_ENV] || REFERENCE_MANIFEST);
  return cached;
}
