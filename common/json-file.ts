import { readFileSync } from "node:fs";
import { UsageError } from "./errors.ts";

/** Reads and parses a JSON file the user named; every problem is a one-line UsageError naming the file. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${path}: ${code === "ENOENT" ? "no such file" : `cannot read (${code ?? "error"})`}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${(error as Error).message.split("\n")[0]})`);
  }
}
