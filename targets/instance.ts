import { createServer } from "node:net";
import { delimiter, dirname } from "node:path";
import { type HttpResponse, httpGet, openConnection } from "../common/http-client.ts";
import { AcceptWatcher } from "../common/probes/connections.ts";
import {
  environValue,
  type ListeningSocket,
  listeningSockets,
  listenRows,
  liveDescendants,
  type OtherLaunches,
  type ProcessInfo,
  runQueueWaitMs,
  socketInodesOf,
} from "../common/probes/procfs.ts";
import { sleep } from "../common/sleep.ts";
import { fill, type TargetDefinition } from "./definition.ts";
import { type ExitInfo, LAUNCH_TAG_ENV, type Launched, launch } from "./launch.ts";
import { claimPort, type PortClaim } from "./port-claim.ts";
import { launchCpuWaitMs, startTimeLeftMs, startTimeUsedMs } from "./start-clock.ts";

export const HOST = "127.0.0.1";

export type Platform = "linux" | "darwin" | "win32";

export interface StartOptions {
  workers: number;
  debug?: boolean;
  /** Set through the manifest's platformEnv. */
  platform?: Platform;
  /** Replaces the {workers} placeholder text (INPUT checks pass "abc", "-1"...). */
  workersText?: string;
  env?: Record<string, string>;
  port?: number;
  /** A command that execs the target, put before it (`taskset -c 1-3` pins every process of the target). */
  prefix?: readonly string[];
  /** The address the target listens on (its {host}); loopback unless the load comes from other hosts. */
  host?: string;
}

/** The target did not answer its ready path in time: checks fail with this reason and the output's tail. */
export class NotReadyError extends Error {
  constructor(
    message: string,
    readonly tail: string[],
    readonly exit: ExitInfo | undefined,
  ) {
    super(message);
  }
}

/**
 * A port on `host` (loopback by default) that nothing listens on and no other launch of this kit holds,
 * claimed host-wide (port-claim.ts) until the claim is released. `range` is for tests.
 */
export async function claimFreePort(host = HOST, range: PortRange = PORT_RANGE): Promise<PortClaim> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = range.low + Math.floor(Math.random() * (range.high - range.low));
    const claim = await claimPort(port);
    if (!claim) continue;
    if (await bindable(port, host)) return claim;
    await claim.release();
  }
  throw new Error(`no free port between ${range.low} and ${range.high}`);
}

/**
 * A free port for a caller that starts its own server on it (a test, INPUT-2's holder): claimed for
 * the rest of this process, so no launch of this kit draws it meanwhile.
 */
export async function freePort(host = HOST): Promise<number> {
  return (await claimFreePort(host)).port;
}

export interface PortRange {
  low: number;
  /** Exclusive. */
  high: number;
}

/**
 * Server ports are drawn at random below Linux's ephemeral range (32768+), so
 * that they never meet the client ports of the loads. Two launches of this kit never share one
 * (claimFreePort); Instance.startTracked handles a foreign process that holds the same port.
 */
const PORT_RANGE: PortRange = { low: 20_000, high: 32_700 };

function bindable(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** One running instance of a target on its own free port. */
export class Instance {
  private constructor(
    readonly manifest: TargetDefinition,
    readonly proc: Launched,
    readonly port: number,
    readonly argv: string[],
    /** The address it listens on. */
    readonly host: string,
    /** What it was started with (settled shapes are known by these: see settle.ts). */
    readonly options: StartOptions,
    /** The claim on its port when the kit chose the port (released once its processes are reaped). */
    private readonly claim: PortClaim | undefined,
  ) {}

  /** Launches the target without waiting for anything (INPUT checks). */
  static async launch(manifest: TargetDefinition, options: StartOptions): Promise<Instance> {
    const host = options.host ?? HOST;
    if (options.port !== undefined)
      return Instance.launchOn(manifest, options, host, options.port, undefined);
    const claim = await claimFreePort(host);
    try {
      return Instance.launchOn(manifest, options, host, claim.port, claim);
    } catch (error) {
      await claim.release();
      throw error;
    }
  }

  private static launchOn(
    manifest: TargetDefinition,
    options: StartOptions,
    host: string,
    port: number,
    claim: PortClaim | undefined,
  ): Instance {
    const values = { host, port, workers: options.workers };
    const workersText = options.workersText;
    const expand = (text: string, key: string) =>
      fill(
        workersText === undefined ? text : text.replaceAll("{workers}", workersText),
        manifest,
        values,
        key,
      );
    const argv = manifest.command.map((part, i) => expand(part, `command[${i}]`));
    if (options.debug)
      argv.push(...(manifest.debugArgs ?? []).map((part, i) => expand(part, `debugArgs[${i}]`)));
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(manifest.env)) env[key] = expand(value, `env.${key}`);
    if (options.platform && manifest.platformEnv) env[manifest.platformEnv] = options.platform;
    Object.assign(env, options.env);
    // A manifest's `node` is the Node running the kit (the pinned one under make), not whatever PATH finds first.
    env.PATH ??= `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}`;
    const [command = "", ...args] = [...(options.prefix ?? []), ...argv];
    const proc = launch({ command, args, cwd: manifest.cwd, env });
    return new Instance(manifest, proc, port, argv, host, options, claim);
  }

  /** Launches the target and waits until its ready path answers 200. */
  /** Launches and waits until ready; a target that never gets ready is reaped before the error is thrown. */
  static async start(manifest: TargetDefinition, options: StartOptions): Promise<Instance> {
    const launched: Instance[] = [];
    try {
      return await Instance.startTracked(manifest, options, (instance) => launched.push(instance));
    } catch (error) {
      for (const instance of launched) await instance.dispose();
      throw error;
    }
  }

  /**
   * Launches, waits until ready, and relaunches on another port if another of
   * this kit's launches (a suite running beside this one) holds the same port:
   * with SO_REUSEPORT their sockets would silently share it.
   */
  static async startTracked(
    manifest: TargetDefinition,
    options: StartOptions,
    track: (instance: Instance) => void,
  ): Promise<Instance> {
    for (let attempt = 1; ; attempt++) {
      const instance = await Instance.launch(manifest, options);
      track(instance);
      await instance.waitReady();
      if (attempt >= 3 || options.port !== undefined || !(await instance.portTakenByAnotherLaunch()))
        return instance;
      await instance.dispose();
    }
  }

  async portTakenByAnotherLaunch(): Promise<boolean> {
    const own = new Set([this.pid, ...(await this.descendants()).map((w) => w.pid)]);
    // The sockets this launch's processes hold first: when the port's listeners are all among them, no
    // other launch holds one (two launches never share a socket), and the descriptors of every process
    // on the host (20 ms of CPU, at every start) need not be read.
    const mine = new Set([...own].flatMap((pid) => [...socketInodesOf(pid)]));
    if ((await listenRows()).every((row) => row.localPort !== this.port || mine.has(row.inode))) return false;
    // Every process on the host: another launch's may be older than this one.
    for (const socket of await listeningSockets(this.port)) {
      for (const holder of socket.holders) {
        if (own.has(holder)) continue;
        const tag = await environValue(holder, LAUNCH_TAG_ENV);
        if (tag !== undefined && tag !== this.proc.tag) return true;
      }
    }
    return false;
  }

  get pid(): number {
    return this.proc.pid;
  }

  /** Milliseconds since launch when the ready path first answered 200. */
  readyMs: number | undefined;
  /** How much of readyMs the launch spent waiting for a CPU (start-clock.ts). */
  readyCpuWaitMs: number | undefined;

  async waitReady(): Promise<void> {
    const timeoutMs = this.manifest.startTimeoutMs;
    for (;;) {
      if (this.proc.spawnError) {
        throw new NotReadyError(
          `could not start ${this.argv[0]}: ${this.proc.spawnError}`,
          this.proc.tail(),
          this.proc.exited,
        );
      }
      if (this.proc.exited) {
        const { code, signal } = this.proc.exited;
        throw new NotReadyError(
          `exited before it was ready (${signal ? `signal ${signal}` : `code ${code}`})`,
          this.proc.tail(),
          this.proc.exited,
        );
      }
      try {
        const socket = await openConnection(this.host, this.port, 1_000);
        const response = socket
          ? await httpGet(this.host, this.port, this.manifest.readyPath, { timeoutMs: 1_000, socket })
          : undefined;
        if (response?.status === 200) {
          this.readyMs = this.proc.elapsedMs();
          await this.proc.recordDescendants();
          this.readyCpuWaitMs = await this.cpuWaitMs();
          return;
        }
      } catch {
        // not listening yet
      }
      if ((await this.startTimeLeft()) <= 0) break;
      await sleep(50);
    }
    const wallMs = Math.round(this.proc.elapsedMs());
    const waited = Math.round(await this.cpuWaitMs());
    const besides = waited >= 1 ? ` (${wallMs} ms on the clock, ${waited} ms of them waiting for a CPU)` : "";
    throw new NotReadyError(`not ready after ${timeoutMs} ms${besides}`, this.proc.tail(), this.proc.exited);
  }

  /** Each process's wait for a CPU at its last look (pid -> ms): an exited worker's wait still counts. */
  readonly #cpuWaits = new Map<number, number>();
  /** The time on the clock before which the start timeout cannot run out (see startTimeLeft). */
  #startClockNextLook = 0;

  /**
   * How long the launch has waited for a CPU so far (start-clock.ts), read from /proc now: for the
   * processes below the started one in `below` (a caller that has just read them, a poll loop), or
   * else found again.
   */
  async cpuWaitMs(below?: readonly number[]): Promise<number> {
    const pids = below ?? (await liveDescendants(this.pid)).map((proc) => proc.pid);
    for (const pid of [this.pid, ...pids]) {
      const waited = runQueueWaitMs(pid);
      if (waited !== undefined) this.#cpuWaits.set(pid, Math.max(waited, this.#cpuWaits.get(pid) ?? 0));
    }
    return launchCpuWaitMs(this.pid, this.#cpuWaits);
  }

  #ownClockMs = 0;

  /**
   * The launch's own clock: the time since launch less what it waited for a CPU (start-clock.ts),
   * never going back (the wait of two processes kept waiting at once adds up). Quiet
   * periods are timed on it: a launch kept from its CPU has not been quiet, it has been kept waiting.
   */
  async ownClockMs(below?: readonly number[]): Promise<number> {
    const wallMs = this.proc.elapsedMs();
    this.#ownClockMs = Math.max(this.#ownClockMs, startTimeUsedMs(wallMs, await this.cpuWaitMs(below)));
    return this.#ownClockMs;
  }

  /** readyMs on the launch's own clock (ownClockMs). */
  get ownReadyMs(): number | undefined {
    return this.readyMs === undefined ? undefined : startTimeUsedMs(this.readyMs, this.readyCpuWaitMs ?? 0);
  }

  /**
   * What is left of the start timeout, the time the launch waited for a CPU not counted
   * (start-clock.ts). /proc is read only once the clock has passed the point where it could run out.
   */
  async startTimeLeft(): Promise<number> {
    const timeoutMs = this.manifest.startTimeoutMs;
    const wallMs = this.proc.elapsedMs();
    if (wallMs < timeoutMs) return timeoutMs - wallMs;
    if (wallMs < this.#startClockNextLook) return this.#startClockNextLook - wallMs;
    const left = startTimeLeftMs(wallMs, await this.cpuWaitMs(), timeoutMs);
    this.#startClockNextLook = wallMs + left;
    return left;
  }

  /** Connections on the port that the kit saw each pid accept, over this instance's life (roles use it). */
  readonly accepted = new Map<number, number>();
  /**
   * The connections sent only to find which processes accept (observe.ts, probeAcceptors), and how many
   * of them the kit saw no process accept: evidence for a start whose workers were never seen.
   */
  readonly probes = { sent: 0, unattributed: 0 };

  /** The live processes below the started one (recorded, so that reaping finds them even outside the group). */
  async descendants(): Promise<ProcessInfo[]> {
    const below = await liveDescendants(this.pid);
    for (const proc of below) this.proc.known.set(proc.pid, proc.startTicks);
    return below;
  }

  /**
   * The LISTEN sockets on the port, with the processes of the launch that hold them: only the processes
   * begun since the launch are looked at (see socketHolders).
   */
  async listeners(): Promise<ListeningSocket[]> {
    return listeningSockets(this.port, this.proc.startTicks, this.otherLaunches());
  }

  /** Finds which process of the launch accepted each connection (see AcceptWatcher). */
  async acceptWatcher(): Promise<AcceptWatcher> {
    return new AcceptWatcher(this.port, this.proc.startTicks, this.otherLaunches());
  }

  /** The kit's other launches, whose processes cannot hold this one's sockets (see socketHolders). */
  otherLaunches(): OtherLaunches {
    return { env: LAUNCH_TAG_ENV, own: this.proc.tag };
  }

  /** Every line printed so far (in a flood: the first ones and the latest), stdout and stderr, in order. */
  output(): string[] {
    return this.proc.lines.map((line) => line.text);
  }

  /** How many lines have been printed: a mark for `outputSince`. */
  outputMark(): number {
    return this.proc.log.total;
  }

  outputSince(mark: number): string[] {
    return this.proc.log.since(mark).map((line) => line.text);
  }

  /** Sends a signal to the started process and waits for it to exit, up to the stop timeout. */
  async stop(signal: NodeJS.Signals): Promise<ExitInfo | undefined> {
    await this.proc.recordDescendants();
    this.proc.signal(signal);
    return this.waitExit(this.manifest.stopTimeoutMs);
  }

  async waitExit(timeoutMs: number): Promise<ExitInfo | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    const result = await Promise.race([this.proc.exit, timeout]);
    clearTimeout(timer);
    return result;
  }

  /** Kills whatever is left and gives its port back; returns the pids that were still alive. */
  async dispose(): Promise<number[]> {
    const left = await this.proc.reap();
    await this.claim?.release();
    return left;
  }
}

/** Polls `probe` until `done` holds or the time is up; returns the last observation either way. */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  intervalMs = 50,
): Promise<{ value: T; ok: boolean; elapsedMs: number }> {
  const started = performance.now();
  for (;;) {
    const value = await probe();
    const elapsedMs = performance.now() - started;
    if (done(value)) return { value, ok: true, elapsedMs };
    if (elapsedMs >= timeoutMs) return { value, ok: false, elapsedMs };
    await sleep(Math.min(backoffMs(intervalMs, elapsedMs), timeoutMs - elapsedMs));
  }
}

/**
 * The pause between two looks after `elapsedMs` of waiting: `intervalMs` at first, then a tenth of
 * the time waited so far (at most 250 ms). A time measured by polling is then never off by more than
 * a tenth, while a wait that runs to its timeout (a worker never replaced) does not spend its CPU
 * reading /proc, which every other check on the host needs.
 */
export function backoffMs(intervalMs: number, elapsedMs: number): number {
  return Math.max(intervalMs, Math.min(elapsedMs / 10, 250));
}

/**
 * GET that tries a few fresh connections until one answers: checks that judge
 * a response's content should not fail because one worker refuses connections
 * (DIST-1 and HTTP-1 judge that).
 */
export async function answeredGet(port: number, path: string, attempts = 10): Promise<HttpResponse> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await httpGet(HOST, port, path, { timeoutMs: 2_000 });
    } catch (error) {
      last = error;
    }
  }
  throw new Error(`GET ${path}: no answer in ${attempts} connections (${(last as Error)?.message ?? last})`);
}
