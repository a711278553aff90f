import { join } from "node:path";
import type { NetworkWrap } from "./fresh-network.ts";
import { kitRoot } from "./paths.ts";
import { type ProcessRun, runProcess } from "./run-process.ts";

export type CliRun = ProcessRun;

/**
 * Runs the built bustbench CLI as a user would, with a hard time limit (tests only). With `wrap`, inside
 * what it puts the command in (a network namespace of its own: common/fresh-network.ts).
 */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 240_000,
  wrap: NetworkWrap = (command) => [...command],
): Promise<CliRun> {
  const root = kitRoot();
  const [command = "", ...rest] = wrap([
    process.execPath,
    join(root, "dist", "cli", "bustbench.js"),
    ...args,
  ]);
  return runProcess(command, rest, {
    env: { ...process.env, ...env },
    cwd: root,
    timeoutMs,
  });
}
