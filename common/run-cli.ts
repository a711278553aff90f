import { spawn } from "node:child_process";
import { join } from "node:path";
import { kitRoot } from "./paths.ts";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built bustbench CLI as a user would, with a hard time limit (tests only). */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 240_000,
): Promise<CliRun> {
  const root = kitRoot();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, "dist", "cli", "bustbench.js"), ...args], {
      env: { ...process.env, ...env },
      cwd: root,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
