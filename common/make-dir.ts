import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";

/**
 * `mkdir -p`: creates the folder and its missing parents. Not `mkdirSync(path, { recursive: true })`:
 * in Node 24 that never returns for a path under /proc (`--out /proc/x`: it spins at full CPU), and a
 * mistyped output folder must fail in one line. Each parent is tried once, so this always ends.
 */
export function makeDir(path: string): void {
  try {
    mkdirSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && statSync(path).isDirectory()) return;
    const parent = dirname(path);
    if (code !== "ENOENT" || parent === path) throw error;
    makeDir(parent);
    mkdirSync(path);
  }
}
