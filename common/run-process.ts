import { type ChildProcess, type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";

/** Children still running: killed if the kit exits first (a load generator on Ctrl+C). */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a short-lived program to completion, collecting its output; a hard time limit kills it. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    timeoutMs?: number;
    /** Give the child a stdin that stays open until it exits (ssh: the remote side sees EOF only if we go). */
    holdStdin?: boolean;
  } = {},
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: [options.holdStdin ? "pipe" : "ignore", "pipe", "pipe"],
    }) as ChildProcessByStdio<Writable | null, Readable, Readable>;
    child.stdin?.on("error", () => {
      // The child closed its end: nothing was ever to be written.
    });
    running.add(child);
    let stdout = "";
    let stderr = "";
    // Decoded as a stream: a character split across two chunks stays whole.
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = options.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), options.timeoutMs) : undefined;
    child.once("error", (error) => {
      running.delete(child);
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      running.delete(child);
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
