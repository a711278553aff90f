import { writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { makeDir } from "../common/make-dir.ts";

/** The one place the CLI writes files: creates the folder, writes, returns the path. */
export function writeOutput(path: string, text: string): string {
  makeDir(dirname(path));
  writeFileSync(path, text);
  return path;
}

/**
 * Progress on stderr: on a terminal, one line that rewrites itself; elsewhere
 * (CI, a pipe) only the milestones, one line each, so that a log shows how far
 * a run got without a line per update.
 */
export function progressLine(): { update(text: string): void; milestone(text: string): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  return {
    update(text) {
      if (tty) process.stderr.write(`\r\x1b[2K${text.slice(0, (process.stderr.columns ?? 100) - 1)}`);
    },
    milestone(text) {
      if (!tty) process.stderr.write(`${text}\n`);
    },
    done() {
      if (tty) process.stderr.write("\r\x1b[2K");
    },
  };
}
