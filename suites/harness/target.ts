import { join } from "node:path";
import { kitRoot } from "../../common/paths.ts";
import { loadManifest, type Manifest } from "../manifest/manifest.ts";

/** The environment variable through which the CLI tells the checks which manifest to run against. */
export const TARGET_ENV = "BUSTBENCH_TARGET";

export const REFERENCE_MANIFEST = join(kitRoot(), "suites", "targets", "reference.json");

let cached: Manifest | undefined;

export function currentTarget(): Manifest {
  cached ??= loadManifest(process.env[TARGET_ENV] || REFERENCE_MANIFEST);
  return cached;
}
