import { fileURLToPath } from "node:url";
import { type Launched, launch } from "../../targets/launch.ts";

export const REFERENCE_CLI = fileURLToPath(new URL("../../dist/reference-server/cli.js", import.meta.url));

export interface StartedReference {
  proc: Launched;
  port: number;
}

/**
 * Starts the built reference with `args` (port 0 unless given) and waits for its banner URL. With
 * `cpu`, pinned to that CPU (taskset execs it: the started process is the reference). The timeout is a
 * bound for a host busy with other tests and CPU hogs, not a wait: the banner ends it (idle: 0.3 s).
 */
export async function startReference(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 30_000,
  cpu?: number,
): Promise<StartedReference> {
  const withPort = args.includes("--port") ? args : [...args, "--port", "0"];
  const command = [process.execPath, REFERENCE_CLI, ...withPort];
  const pinned = cpu === undefined ? command : ["taskset", "-c", String(cpu), ...command];
  const proc = launch({ command: pinned[0] ?? "", args: pinned.slice(1), env });
  const url = /http:\/\/\S+:(\d+)/;
  const line = await proc.waitForLine(url, timeoutMs);
  const port = Number(url.exec(line?.text ?? "")?.[1]);
  if (!line || !Number.isInteger(port)) {
    await proc.reap();
    throw new Error(`reference not ready after ${timeoutMs} ms; last output:\n${proc.tail().join("\n")}`);
  }
  await proc.recordDescendants();
  return { proc, port };
}

/** Runs the reference to completion (for inputs it must refuse). */
export async function runReference(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 10_000,
) {
  const proc = launch({ command: process.execPath, args: [REFERENCE_CLI, ...args], env });
  const timer = setTimeout(() => void proc.reap(), timeoutMs);
  const exit = await proc.exit;
  clearTimeout(timer);
  await proc.reap();
  await new Promise((resolve) => setTimeout(resolve, 20)); // let the pipes flush their last lines
  return { exit, stdout: lines(proc, "stdout"), stderr: lines(proc, "stderr"), proc };
}

function lines(proc: Launched, stream: "stdout" | "stderr"): string[] {
  return proc.lines.filter((line) => line.stream === stream).map((line) => line.text);
}
