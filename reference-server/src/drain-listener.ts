import { spawn } from "node:child_process";
import { accessSync, closeSync, constants, openSync, readSync } from "node:fs";
import type { Server } from "node:net";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { INSTANCE_ENV } from "./worker-config.ts";

/**
 * How a worker's listener gets ready to close (drain-listener.py): `refuse` when the whole instance
 * stops (new connections are refused, then what is queued is accepted), `migrate` when this worker
 * stops alone (what is queued moves to a sibling's listener).
 */
export type DrainMode = "refuse" | "migrate";

export type DrainReport =
  | { ok: true; mode: DrainMode; others: number; queued: number; left: number }
  | { ok: false; error: string };

/**
 * The helper's own folder (reference-server/listener-helper/): one level up from this module in the
 * source tree, and from each bundle in dist/, where the build copies it (dist/listener-helper/).
 */
const HELPER = fileURLToPath(new URL("../listener-helper/drain-listener.py", import.meta.url));
/**
 * The helper bounds its own wait (`waitMs`) and ends when this process does; this only guards against one
 * that never returns, past its wait and its 2 s of refusal after it.
 */
const HELPER_SLACK_MS = 3_000;

/**
 * The python3 the helper runs on: the first `python3` on PATH that is a program itself, not a script.
 * `python3` on PATH is often a version manager's shim (pyenv's is a shell script that costs about
 * 280 ms of CPU per run against 25 ms for the interpreter): a stop under load, with every CPU busy, made
 * that seconds, and the helper ran out of time. Looking costs no process. Where every python3 on PATH is
 * a script, the first one is used.
 */
export function findPython(path = process.env.PATH ?? ""): string {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, "python3");
    try {
      accessSync(candidate, constants.X_OK);
      const head = Buffer.alloc(4);
      const fd = openSync(candidate, "r");
      try {
        readSync(fd, head, 0, 4, 0);
      } finally {
        closeSync(fd);
      }
      if (head.toString("latin1") === "\x7fELF") return candidate;
    } catch {
      // not there, not executable, or unreadable: the next one
    }
  }
  return "python3";
}

/**
 * Runs the helper on the server's listening socket and resolves once the listener may close
 * without resetting a queued connection. Never rejects: a failure (no python3, no CAP_BPF, a kernel
 * before 5.14) is reported, and the listener then closes as Node closes it, resetting what is queued.
 */
/**
 * Which listeners on the port are this server's own: its workers' (the children of its primary that carry
 * the instance's value of INSTANCE_ENV), or `alone`, its one listener (a server of one process).
 */
export type Siblings = "workers" | "alone";

export function prepareListenerClose(
  server: Server,
  mode: DrainMode,
  siblings: Siblings,
  /**
   * How long the helper may wait for the accept queue to empty: the server's grace period. A busy host
   * can keep a worker from running for seconds; until it runs, the queue stays and is refused nothing.
   */
  waitMs: number,
  python = findPython(),
): Promise<DrainReport> {
  // Node has no public way to the listening fd; its handle has one on Unix.
  const fd = (server as unknown as { _handle?: { fd?: unknown } | null })._handle?.fd;
  if (typeof fd !== "number" || fd < 0)
    return Promise.resolve({ ok: false, error: "no listening socket fd" });
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    const who = siblings === "alone" ? ["--alone"] : ["--siblings-env", INSTANCE_ENV];
    const child = spawn(python, ["-I", "-S", HELPER, mode, ...who, "--wait-ms", String(waitMs)], {
      stdio: ["ignore", "pipe", "pipe", fd],
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), waitMs + HELPER_SLACK_MS);
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    child.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ ok: false, error: error.code === "ENOENT" ? "python3 not found" : error.message });
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        const report = parseReport(stdout);
        resolve(report ?? { ok: false, error: `unreadable helper output: ${firstLine(stdout)}` });
      } else {
        const why = firstLine(stderr) || (signal ? `helper killed (${signal})` : `helper exit code ${code}`);
        resolve({ ok: false, error: why });
      }
    });
  });
}

/**
 * Why a listener closes unready after the helper ran, or undefined: the helper failed; connections
 * were still queued when a refusing helper returned (the worker did not run in its wait); or, in a whole
 * stop (`wholeStop`, known by now), the queue was handed to siblings that close too, because the worker
 * chose before it heard of the whole stop. Closing then resets what is queued. (A queue left when the
 * helper hands it on moves to a listener still open: it is not lost.)
 */
export function unreadyReason(report: DrainReport, wholeStop: boolean): string | undefined {
  if (!report.ok) return report.error;
  if (report.mode === "refuse" && report.left > 0)
    return `${report.left} connection(s) still queued when the helper returned`;
  if (wholeStop && report.mode === "migrate" && report.others === 0)
    return "it heard of the whole stop only after it chose to hand its queue to its siblings";
  return undefined;
}

export function parseReport(text: string): DrainReport | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { mode, others, queued, left } = value as Record<string, unknown>;
  if (mode !== "refuse" && mode !== "migrate") return undefined;
  if (![others, queued, left].every((n) => Number.isInteger(n))) return undefined;
  return { ok: true, mode, others: others as number, queued: queued as number, left: left as number };
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}
