import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The kit's top-level folders: a path that starts with one of them names a file of the kit. */
const FOLDERS = [
  "common",
  "targets",
  "results",
  "reference-server",
  "suites",
  "runners",
  "reports",
  "dashboard",
  "cli",
  "scripts",
  "docs",
  "tools",
];
const REFERENCE = new RegExp(
  `(?<![\\w./-])(?:${FOLDERS.join("|")})/[\\w./-]*[\\w-]\\.(?:ts|md|py|sh|json)(?![\\w/])`,
  "g",
);

/** Paths in the kit's own text that are examples or outputs, not files of the kit. */
const NOT_FILES = new Set(["docs/suite-times.json", "docs/suite-times.md"]);

/**
 * Every file path of the kit named in its sources and documents (comments included) that names no file:
 * a comment left behind when a file moved. Paths are read from the repository root.
 */
export function missingFileReferences(root: string): Array<{ file: string; line: number; names: string }> {
  const files = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" })
    .split("\n")
    .filter((f) => /\.(ts|md|py|sh|yml)$/.test(f) && !f.startsWith("dashboard/test/fixtures/"));
  const missing: Array<{ file: string; line: number; names: string }> = [];
  for (const file of files) {
    if (!existsSync(join(root, file))) continue;
    readFileSync(join(root, file), "utf8")
      .split("\n")
      .forEach((text, index) => {
        for (const [names] of text.matchAll(REFERENCE)) {
          if (!NOT_FILES.has(names) && !existsSync(join(root, names)))
            missing.push({ file, line: index + 1, names });
        }
      });
  }
  return missing;
}
