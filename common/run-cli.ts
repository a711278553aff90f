import { join } from "node:path";
import { kitRoot } from "./paths.ts";
import { type ProcessRun, runProcess } from "./run-process.ts";

export type CliRun = ProcessRun;

/** Runs the built bustbench CLI as a user would, with a hard time limit (tests only). */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 240_000,
): Promise<CliRun> {
  const root = kitRoot();
  return runProcess(process.execPath, [join(root, "dist", "cli", "bustbench.js"), ...args], {
    env: { ...process.env, ...env },
    cwd: root,
    timeoutMs,
  });
}
