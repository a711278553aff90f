import { spawn, spawnSync } from "node:child_process";
import {
  cmdlineOf,
  environValue,
  isLive,
  liveDescendants,
  startedSince,
  startTicksOf,
  stillAlive,
} from "../common/probes/procfs.ts";
import { sleep } from "../common/sleep.ts";
import { type OutputLine, OutputLog } from "./output-log.ts";

/**
 * Starting and reaping programs under test. Each one gets its own process group
 * (and session), so that one signal reaches everything it started; the pids seen
 * below it are recorded too, so that a descendant which escaped the group with
 * setsid() is still found and killed. Nothing started here outlives the kit.
 */

export interface LaunchSpec {
  command: string;
  args: readonly string[];
  cwd?: string | undefined;
  env?: Readonly<Record<string, string>> | undefined;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  atMs: number;
}

/** How long output may trail the exit of the started process (pipes are read asynchronously). */
const OUTPUT_GRACE_MS = 250;
const MAX_LINE_CHARS = 4_000;

const running = new Set<Launched>();
let launches = 0;

export const LAUNCH_TAG_ENV = "BUSTBENCH_LAUNCH";
/** Set by a test run (and inherited by everything below it) so that its audit sees only its own launches. */
export const SESSION_ENV = "BUSTBENCH_SESSION";

export class Launched {
  readonly pid: number;
  /** This launch's value of BUSTBENCH_LAUNCH, inherited by everything it starts. */
  readonly tag = `${process.env[SESSION_ENV] ?? "-"}:${process.pid}:${++launches}`;
  readonly startedAt = performance.now();
  readonly exit: Promise<ExitInfo>;
  exited: ExitInfo | undefined;
  /** Set when the command could not be started at all (no such program, no permission). */
  spawnError: string | undefined;
  /** Settles once the output pipes close, or shortly after the exit if a descendant still holds them. */
  readonly outputSettled: Promise<void>;
  /** stdout and stderr, line by line, in bounded memory. */
  readonly log = new OutputLog();
  outputBytes = 0;
  /** Every process seen below this one: pid -> start time, to recognise it later despite pid reuse. */
  readonly known = new Map<number, number>();
  /**
   * When the started process began (clock ticks after boot), read as soon as it exists: every process of
   * the launch began since (its members, the sockets it holds). Undefined without /proc.
   */
  readonly startTicks: number | undefined;
  readonly #waiters = new Set<() => void>();

  constructor(spec: LaunchSpec) {
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      // The tag marks everything this kit starts (descendants inherit it): leftover audits and
      // port-collision checks find our processes by it, never by name.
      env: { ...process.env, ...spec.env, [LAUNCH_TAG_ENV]: this.tag },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // setsid(): a group of its own, and no terminal signals from ours
    });
    this.exit = new Promise((resolve) => {
      child.once("error", (error) => {
        this.spawnError = error.message;
        this.#push("stderr", `[launch] ${error.message}`);
        this.exited ??= { code: null, signal: null, atMs: this.elapsedMs() };
        resolve(this.exited);
        running.delete(this);
      });
      // 'exit', not 'close': a surviving descendant may hold the pipes open long after.
      child.once("exit", (code, signal) => {
        this.exited ??= { code, signal, atMs: this.elapsedMs() };
        resolve(this.exited);
      });
    });
    const streamsClosed = Promise.all(
      [child.stdout, child.stderr].map(
        (stream) => new Promise<void>((resolve) => stream?.once("close", () => resolve())),
      ),
    );
    this.outputSettled = Promise.race([
      streamsClosed.then(() => undefined),
      this.exit.then(() => sleep(OUTPUT_GRACE_MS)),
    ]);
    this.pid = child.pid ?? -1;
    if (this.pid > 0) running.add(this);
    // Readable now whatever the child does next: it is not waited for (reaped) before this turn ends.
    this.startTicks = this.pid > 0 ? startTicksOf(this.pid) : undefined;
    for (const stream of ["stdout", "stderr"] as const) {
      let partial = "";
      child[stream]?.setEncoding("utf8");
      child[stream]?.on("data", (chunk: string) => {
        this.outputBytes += Buffer.byteLength(chunk);
        const parts = (partial + chunk).split("\n");
        partial = parts.pop() ?? "";
        for (const text of parts) this.#push(stream, text);
        // A line that never ends is cut into pieces rather than held whole (output floods are bounded).
        if (partial.length > MAX_LINE_CHARS) {
          this.#push(stream, partial);
          partial = "";
        }
      });
      child[stream]?.on("end", () => {
        if (partial) this.#push(stream, partial);
      });
    }
  }

  elapsedMs(): number {
    return performance.now() - this.startedAt;
  }

  #push(stream: OutputLine["stream"], text: string): void {
    const clean = text.endsWith("\r") ? text.slice(0, -1) : text;
    this.log.push({ stream, atMs: this.elapsedMs(), text: clean.slice(0, MAX_LINE_CHARS) });
    for (const wake of this.#waiters) wake();
  }

  /**
   * Resolves with the first line at or after index `from` (already seen or still
   * to come) matching `pattern`; undefined on timeout or once output ends.
   */
  waitForLine(
    pattern: RegExp | ((text: string) => boolean),
    timeoutMs: number,
    from = 0,
  ): Promise<OutputLine | undefined> {
    const matches = typeof pattern === "function" ? pattern : (text: string) => pattern.test(text);
    return new Promise((resolve) => {
      let next = from;
      const check = () => {
        for (const line of this.log.since(next)) {
          next = line.index + 1;
          if (matches(line.text)) return done(line);
        }
        if (outputDone) done(undefined);
      };
      let outputDone = false;
      const timer = setTimeout(() => done(undefined), timeoutMs);
      const done = (line: OutputLine | undefined) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(line);
      };
      this.#waiters.add(check);
      void this.outputSettled.then(() => {
        outputDone = true;
        check();
      });
      check();
    });
  }

  /** The last `n` lines of output, for failure messages. */
  tail(n = 10): string[] {
    return this.log.last(n).map((line) => line.text);
  }

  /** The kept output lines (the first ones and the latest), in order. */
  get lines(): OutputLine[] {
    return this.log.all();
  }

  /** Sends a signal to the started process only (not its group): what `kill PID` does. */
  signal(name: NodeJS.Signals): boolean {
    if (this.exited) return false;
    try {
      process.kill(this.pid, name);
      return true;
    } catch {
      return false;
    }
  }

  /** Records the current live descendants so that `reap()` can find them even if they leave the group. */
  async recordDescendants(): Promise<void> {
    if (this.pid <= 0) return;
    for (const proc of await liveDescendants(this.pid)) this.known.set(proc.pid, proc.startTicks);
  }

  /**
   * Every live process of this launch: those that carry its tag in their
   * environment (whatever they did since: double forks, setsid, started after a
   * signal) and the pids recorded below it (one may have cleared its environment).
   */
  async liveMembers(): Promise<Array<{ pid: number; startTicks: number; cmdline: string }>> {
    const found: Array<{ pid: number; startTicks: number; cmdline: string }> = [];
    // Only processes that began since the launch can carry its tag or be below it: the environments of
    // the host's other processes (a hundred and more, at every look of a stop check) are not read.
    for (const proc of await startedSince(this.startTicks ?? 0)) {
      if (proc.pid === process.pid || !isLive(proc)) continue;
      const recorded = this.known.get(proc.pid) === proc.startTicks || proc.pid === this.pid;
      if (recorded || (await environValue(proc.pid, LAUNCH_TAG_ENV)) === this.tag)
        found.push({ pid: proc.pid, startTicks: proc.startTicks, cmdline: cmdlineOf(proc.pid).join(" ") });
    }
    return found.sort((a, b) => a.pid - b.pid);
  }

  /**
   * Kills everything this launch started: the process group, then every recorded
   * pid and every process carrying the launch's tag still alive. Returns the pids
   * that were still alive and had to be killed.
   */
  async reap(): Promise<number[]> {
    if (this.pid <= 0) return [];
    await this.recordDescendants().catch(() => undefined);
    // A process that left the group and the tree (setsid, then its parent exited) is found by its tag.
    for (const member of await this.liveMembers().catch(() => []))
      this.known.set(member.pid, member.startTicks);
    const survivors: number[] = [];
    if (!this.exited) survivors.push(this.pid);
    killGroup(this.pid);
    for (const [pid, startTicks] of this.known) {
      if (await stillAlive(pid, startTicks)) {
        survivors.push(pid);
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // raced with its exit
        }
      }
    }
    await this.exit;
    // SIGKILL is not instant: wait until the recorded processes are really gone.
    const deadline = performance.now() + 5_000;
    for (const [pid, startTicks] of this.known) {
      while ((await stillAlive(pid, startTicks)) && performance.now() < deadline) await sleep(10);
    }
    running.delete(this);
    return [...new Set(survivors)];
  }
}

function killGroup(pgid: number): void {
  if (process.platform === "win32") {
    // No process groups or signals there: taskkill ends the tree below the pid.
    spawnSync("taskkill", ["/pid", String(pgid), "/T", "/F"], { stdio: "ignore" });
    return;
  }
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // the group is already empty
  }
}

export function launch(spec: LaunchSpec): Launched {
  return new Launched(spec);
}

/** Reaps every launch still running (test teardown, CLI exit paths). */
export async function reapAll(): Promise<void> {
  await Promise.all([...running].map((launched) => launched.reap()));
}

/** Last resort when the kit itself exits: synchronous, so it also runs from an `exit` handler. */
function killAllNow(): void {
  for (const launched of running) {
    killGroup(launched.pid);
    for (const pid of launched.known.keys()) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone
      }
    }
  }
}
process.once("exit", killAllNow);
