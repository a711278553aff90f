import { existsSync } from "node:fs";
import { open, readdir, readFile, readlink } from "node:fs/promises";
import {
  firstRowNotListening,
  type MemoryUse,
  type ProcStat,
  parseCpuTotals,
  parseSmapsRollup,
  parseStat,
  parseTcpTable,
  parseVmHwmBytes,
  parseVmRssBytes,
  socketInode,
  type TcpRow,
} from "./proc-parse.ts";
import { descendantsOf } from "./process-tree.ts";

/**
 * Probes that look at processes and sockets from outside, through /proc only:
 * no `ps` or `ss` output is parsed, and no process is matched by its name
 * (Node 24 names its main thread `MainThread`).
 */

export const PROC_UNAVAILABLE_REASON = "needs Linux /proc (process and socket probes)";

export function procAvailable(): boolean {
  return existsSync("/proc/self/stat") && existsSync("/proc/net/tcp");
}

export interface ProcessInfo extends ProcStat {
  cmdline: string[];
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined; // gone, or not ours to read
  }
}

/** No /proc (macOS, Windows): every probe sees nothing, and the checks that need it are not applicable. */
async function pids(): Promise<number[]> {
  const entries = await readdir("/proc").catch(() => [] as string[]);
  return entries.filter((name) => /^\d+$/.test(name)).map(Number);
}

export async function readProcess(pid: number): Promise<ProcessInfo | undefined> {
  const [stat, cmdline] = await Promise.all([
    readText(`/proc/${pid}/stat`),
    readText(`/proc/${pid}/cmdline`),
  ]);
  const parsed = stat === undefined ? undefined : parseStat(stat);
  if (!parsed) return undefined;
  return { ...parsed, cmdline: (cmdline ?? "").split("\0").filter((part) => part !== "") };
}

export async function readProcesses(): Promise<ProcessInfo[]> {
  const all = await Promise.all((await pids()).map(readProcess));
  return all.filter((proc): proc is ProcessInfo => proc !== undefined);
}

/** A zombie has exited and only waits for its parent to collect it: it serves nothing. */
export function isLive(proc: Pick<ProcStat, "state">): boolean {
  return proc.state !== "Z" && proc.state !== "X";
}

/** The live processes below `root`, nearest first. */
export async function liveDescendants(root: number): Promise<ProcessInfo[]> {
  return descendantsOf(root, await readProcesses()).filter(isLive);
}

/** Whether this exact process (pid plus start time, to survive pid reuse) is still alive. */
export async function stillAlive(pid: number, startTicks?: number): Promise<boolean> {
  const proc = await readProcess(pid);
  if (!proc || !isLive(proc)) return false;
  return startTicks === undefined || proc.startTicks === startTicks;
}

export async function rssBytes(pid: number): Promise<number | undefined> {
  const status = await readText(`/proc/${pid}/status`);
  return status === undefined ? undefined : parseVmRssBytes(status);
}

export async function tcpRows(): Promise<TcpRow[]> {
  const [v4, v6] = await Promise.all([readText("/proc/net/tcp"), readText("/proc/net/tcp6")]);
  return [...parseTcpTable(v4 ?? "", 4), ...parseTcpTable(v6 ?? "", 6)];
}

/**
 * The LISTEN rows of /proc/net/tcp and tcp6, read only as far as they go. The kernel prints the
 * listening sockets first (its listening hash, then the established one), so the first row in
 * another state ends them; after a load the table holds tens of thousands of connection rows that
 * a watch of the listeners, several times a second, need not read.
 */
export async function listenRows(): Promise<TcpRow[]> {
  const [v4, v6] = await Promise.all([listenPrefix("/proc/net/tcp"), listenPrefix("/proc/net/tcp6")]);
  return [...parseTcpTable(v4, 4), ...parseTcpTable(v6, 6)].filter((row) => row.state === "LISTEN");
}

/** The header and the leading LISTEN rows of one table, as text ("" when it cannot be read). */
async function listenPrefix(path: string): Promise<string> {
  let file: Awaited<ReturnType<typeof open>> | undefined;
  try {
    file = await open(path, "r");
    let text = "";
    const chunk = Buffer.alloc(64 * 1024);
    for (;;) {
      const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return text;
      text += chunk.toString("latin1", 0, bytesRead);
      const end = firstRowNotListening(text);
      if (end !== undefined) return text.slice(0, end);
    }
  } catch {
    return "";
  } finally {
    await file?.close();
  }
}

/** The pids of processes started at or after `sinceTicks` (clock ticks after boot, as /proc/PID/stat says). */
async function pidsStartedSince(sinceTicks: number): Promise<number[]> {
  const started = await Promise.all(
    (await pids()).map(async (pid) => {
      const stat = await readText(`/proc/${pid}/stat`);
      const parsed = stat === undefined ? undefined : parseStat(stat);
      return parsed && parsed.startTicks >= sinceTicks ? pid : undefined;
    }),
  );
  return started.filter((pid): pid is number => pid !== undefined);
}

/**
 * Socket inode -> every pid holding a descriptor for it. A socket shared by several processes lists
 * them all. With `sinceTicks`, only processes started since then are looked at: a socket a launch
 * creates (its listeners, the connections it accepts) is held by processes started after the launch
 * (unless passed to an older one over a Unix socket), and reading every fd of every other process
 * on the host, many times a second, costs the CPU the checks beside it need.
 */
export async function socketHolders(sinceTicks?: number): Promise<Map<number, number[]>> {
  const holders = new Map<number, number[]>();
  await Promise.all(
    (sinceTicks === undefined ? await pids() : await pidsStartedSince(sinceTicks)).map(async (pid) => {
      let fds: string[];
      try {
        fds = await readdir(`/proc/${pid}/fd`);
      } catch {
        return;
      }
      const inodes = new Set<number>();
      await Promise.all(
        fds.map(async (fd) => {
          try {
            const inode = socketInode(await readlink(`/proc/${pid}/fd/${fd}`));
            if (inode !== undefined) inodes.add(inode);
          } catch {
            // fd closed while we looked
          }
        }),
      );
      for (const inode of inodes) {
        const list = holders.get(inode);
        if (list) list.push(pid);
        else holders.set(inode, [pid]);
      }
    }),
  );
  for (const list of holders.values()) list.sort((a, b) => a - b);
  return holders;
}

export interface ListeningSocket {
  inode: number;
  family: 4 | 6;
  address: string;
  port: number;
  /** Connections waiting in the accept queue. */
  acceptQueue: number;
  /** Every pid that holds the socket: one for SO_REUSEPORT workers, several for an inherited socket. */
  holders: number[];
}

/** The LISTEN sockets on a TCP port, IPv4 and IPv6, each with every pid that holds it (see socketHolders). */
export async function listeningSockets(port: number, sinceTicks?: number): Promise<ListeningSocket[]> {
  const rows = (await listenRows()).filter((row) => row.localPort === port);
  if (rows.length === 0) return [];
  const holders = await socketHolders(sinceTicks);
  return rows.map((row) => ({
    inode: row.inode,
    family: row.family,
    address: row.localAddress,
    port: row.localPort,
    acceptQueue: row.rxQueue,
    holders: holders.get(row.inode) ?? [],
  }));
}

/** Live members of a process group (the kit starts every target in a group of its own). */
export async function liveGroupMembers(pgid: number): Promise<ProcessInfo[]> {
  return (await readProcesses()).filter((proc) => proc.pgid === pgid && isLive(proc));
}

/** RSS, PSS and USS of a process (smaps_rollup), or undefined if it is gone or not readable. */
export async function memoryOf(pid: number): Promise<MemoryUse | undefined> {
  const text = await readText(`/proc/${pid}/smaps_rollup`);
  return text === undefined ? undefined : parseSmapsRollup(text);
}

/** Peak resident set (VmHWM) of a process, in bytes. */
export async function peakRssBytes(pid: number): Promise<number | undefined> {
  const status = await readText(`/proc/${pid}/status`);
  return status === undefined ? undefined : parseVmHwmBytes(status);
}

/** Busy and total CPU ticks of the whole host since boot. */
export async function hostCpuTicks(): Promise<{ busyTicks: number; totalTicks: number } | undefined> {
  const stat = await readText("/proc/stat");
  return stat === undefined ? undefined : parseCpuTotals(stat);
}

/** Linux reports process CPU times in USER_HZ ticks, 100 per second on every common configuration. */
export const TICKS_PER_SECOND = 100;

/** User plus system CPU seconds of each live pid. */
export async function cpuSecondsOf(pids: readonly number[]): Promise<Map<number, number>> {
  const result = new Map<number, number>();
  await Promise.all(
    pids.map(async (pid) => {
      const proc = await readProcess(pid);
      if (proc) result.set(pid, (proc.utimeTicks + proc.stimeTicks) / TICKS_PER_SECOND);
    }),
  );
  return result;
}

/** CPU seconds of this process's waited-for children (cutime + cstime): how a finished child's CPU is read. */
export async function reapedChildrenCpuSeconds(): Promise<number> {
  const stat = await readText("/proc/self/stat");
  if (!stat) return 0;
  const rest = stat
    .slice(stat.lastIndexOf(")") + 2)
    .trim()
    .split(/\s+/);
  // after comm: ... utime=11 stime=12 cutime=13 cstime=14
  return (Number(rest[13]) + Number(rest[14])) / TICKS_PER_SECOND;
}

/** Server-side connections currently ESTABLISHED on a port. */
export async function establishedOn(port: number): Promise<number> {
  return (await tcpRows()).filter((row) => row.state === "ESTABLISHED" && row.localPort === port).length;
}

/** One variable of a process's initial environment (own-user processes only), or undefined. */
export async function environValue(pid: number, name: string): Promise<string | undefined> {
  const environ = await readText(`/proc/${pid}/environ`);
  const entry = environ?.split("\0").find((item) => item.startsWith(`${name}=`));
  return entry?.slice(name.length + 1);
}
