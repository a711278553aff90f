import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The kit's root folder (the one holding package.json), found from this file
 * whether it runs from sources (common/) or from a bundle (dist/cli/).
 */
export function kitRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "suites"))) return dir;
    dir = dirname(dir);
  }
  throw new Error("cannot find the bustbench folder (package.json beside suites/)");
}

/** A file-name-safe form of a target name. */
export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "target"
  );
}
