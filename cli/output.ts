import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** The one place the CLI writes files: creates the folder, writes, returns the path. */
export function writeOutput(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** A progress line that rewrites itself, only on a terminal. */
export function progressLine(): { update(text: string): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  return {
    update(text) {
      if (tty) process.stderr.write(`\r\x1b[2K${text.slice(0, (process.stderr.columns ?? 100) - 1)}`);
    },
    done() {
      if (tty) process.stderr.write("\r\x1b[2K");
    },
  };
}
