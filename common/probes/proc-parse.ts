/**
 * Pure parsers for the Linux /proc formats the probes read. Kept apart from the
 * I/O so they can be tested on fixed text.
 */

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  /** User and system CPU time in clock ticks (USER_HZ). */
  utimeTicks: number;
  stimeTicks: number;
  /** Start time in clock ticks after boot: with the pid, identifies a process across pid reuse. */
  startTicks: number;
  rssPages: number;
}

/** Parses /proc/PID/stat. `comm` may hold spaces and parentheses, so split after the last ')'. */
export function parseStat(text: string): ProcStat | undefined {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return undefined;
  const rest = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // Fields after comm, 0-based: state=0 ppid=1 pgrp=2 session=3 ... utime=11 stime=12 ... starttime=19 vsize=20 rss=21
  const field = (i: number) => Number(rest[i]);
  if (rest.length < 22) return undefined;
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: rest[0] ?? "?",
    ppid: field(1),
    pgid: field(2),
    sid: field(3),
    utimeTicks: field(11),
    stimeTicks: field(12),
    startTicks: field(19),
    rssPages: field(21),
  };
}

/** TCP states as /proc/net/tcp writes them (include/net/tcp_states.h). */
export const TCP_STATES = {
  "01": "ESTABLISHED",
  "02": "SYN_SENT",
  "03": "SYN_RECV",
  "04": "FIN_WAIT1",
  "05": "FIN_WAIT2",
  "06": "TIME_WAIT",
  "07": "CLOSE",
  "08": "CLOSE_WAIT",
  "09": "LAST_ACK",
  "0A": "LISTEN",
  "0B": "CLOSING",
} as const;

export type TcpState = (typeof TCP_STATES)[keyof typeof TCP_STATES] | "UNKNOWN";

export interface TcpRow {
  family: 4 | 6;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  state: TcpState;
  /** Accept-queue length for a LISTEN socket (rx_queue). */
  rxQueue: number;
  uid: number;
  inode: number;
}

/** The state field of a /proc/net/tcp row for TIME_WAIT. */
const TIME_WAIT = "06";

/**
 * Parses /proc/net/tcp or /proc/net/tcp6 (the header line is skipped). TIME_WAIT rows are left out:
 * they belong to no process (inode 0) and no caller wants them, and after a load a host holds tens of
 * thousands: parsed in full, 16,000 cost about 100 ms a look, and a poll that slow lengthens the time
 * it measures (a recovery after a worker was killed).
 */
/** Where the first whole row in a state other than LISTEN (0A) starts, if the text holds one. */
export function firstRowNotListening(text: string): number | undefined {
  let start = text.indexOf("\n") + 1;
  while (start > 0) {
    const end = text.indexOf("\n", start);
    if (end < 0) return undefined;
    const fields = text.slice(start, end).trim().split(/\s+/);
    if (fields.length >= 4 && fields[3] !== "0A") return start;
    start = end + 1;
  }
  return undefined;
}

export function parseTcpTable(text: string, family: 4 | 6): TcpRow[] {
  const rows: TcpRow[] = [];
  // "  sl: local rem st ...": local and remote are hex address:port of fixed width.
  const stateOffset = 2 * ((family === 4 ? 8 : 32) + 5) + 2;
  for (const line of text.split("\n").slice(1)) {
    const fields = line.indexOf(": ") + 2;
    if (line.startsWith(TIME_WAIT, fields + stateOffset)) continue;
    const parts = line.trim().split(/\s+/);
    if (parts.length < 10) continue;
    const [local = "", remote = "", state = "", queues = ""] = parts.slice(1, 5);
    const [localHex = "", localPortHex = "0"] = local.split(":");
    const [remoteHex = "", remotePortHex = "0"] = remote.split(":");
    rows.push({
      family,
      localAddress: decodeAddress(localHex),
      localPort: Number.parseInt(localPortHex, 16),
      remoteAddress: decodeAddress(remoteHex),
      remotePort: Number.parseInt(remotePortHex, 16),
      state: TCP_STATES[state as keyof typeof TCP_STATES] ?? "UNKNOWN",
      rxQueue: Number.parseInt(queues.split(":")[1] ?? "0", 16),
      uid: Number(parts[7]),
      inode: Number(parts[9]),
    });
  }
  return rows;
}

/**
 * The kernel prints addresses as 32-bit words in host byte order (little-endian
 * on the machines this runs on): IPv4 as one word, IPv6 as four.
 */
export function decodeAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((word) =>
    (word.match(/../g) ?? []).reverse().map((byte) => Number.parseInt(byte, 16)),
  );
  if (bytes.length === 4) return bytes.join(".");
  if (bytes.length !== 16) return hex;
  // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) reads best in its IPv4 form.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.slice(12).join(".")}`;
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return compressIpv6(groups);
}

function compressIpv6(groups: string[]): string {
  let best = { start: -1, length: 0 };
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === "0") j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j;
  }
  if (best.start < 0) return groups.join(":");
  const head = groups.slice(0, best.start).join(":");
  const tail = groups.slice(best.start + best.length).join(":");
  return `${head}::${tail}`;
}

/** `socket:[12345]` -> 12345, as readlink on /proc/PID/fd/N shows a socket. */
export function socketInode(link: string): number | undefined {
  const match = /^socket:\[(\d+)\]$/.exec(link);
  return match ? Number(match[1]) : undefined;
}

/** VmRSS from /proc/PID/status, in bytes. */
export function parseVmRssBytes(status: string): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** VmHWM (peak resident set) from /proc/PID/status, in bytes. */
export function parseVmHwmBytes(status: string): number | undefined {
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** What one process's memory costs: resident, proportional (shared pages split), unique (private pages). */
export interface MemoryUse {
  rssBytes: number;
  pssBytes: number;
  /** Private pages only: what the system gets back when the process exits, the marginal cost of a worker. */
  ussBytes: number;
}

/** /proc/PID/smaps_rollup (Linux 4.14+): RSS, PSS and USS (Private_Clean + Private_Dirty), in bytes. */
export function parseSmapsRollup(text: string): MemoryUse | undefined {
  const kb = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, "m").exec(text);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const [rss, pss, clean, dirty] = [kb("Rss"), kb("Pss"), kb("Private_Clean"), kb("Private_Dirty")];
  if (rss === undefined || pss === undefined || clean === undefined || dirty === undefined) return undefined;
  return { rssBytes: rss, pssBytes: pss, ussBytes: clean + dirty };
}

/** TCP connections in TIME_WAIT on the host, from /proc/net/sockstat ("TCP: inuse 5 orphan 0 tw 14181 ..."). */
export function parseTimeWait(sockstat: string): number | undefined {
  const match = /^TCP:.*\btw (\d+)/m.exec(sockstat);
  return match ? Number(match[1]) : undefined;
}

/** The TCP sockets /proc/net/sockstat counts (in use, and in TIME_WAIT): about the rows of /proc/net/tcp. */
export function parseTcpSocketCount(sockstat: string): number | undefined {
  const line = /^TCP:.*$/m.exec(sockstat)?.[0];
  const inuse = line ? /\binuse (\d+)/.exec(line) : null;
  const tw = line ? /\btw (\d+)/.exec(line) : null;
  return inuse && tw ? Number(inuse[1]) + Number(tw[1]) : undefined;
}

/** The aggregate `cpu` line of /proc/stat: busy and total jiffies over all CPUs. */
export function parseCpuTotals(stat: string): { busyTicks: number; totalTicks: number } | undefined {
  const line = stat.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) return undefined;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busyTicks: total - idle - iowait, totalTicks: total };
}

/**
 * The time a task waited on a run queue, ready to run but kept from a CPU by others, in ms: the second
 * field of /proc/PID/schedstat (nanoseconds; the first is the time it ran, the third how many times).
 */
export function parseRunQueueWaitMs(schedstat: string): number | undefined {
  const fields = schedstat.trim().split(/\s+/);
  if (fields.length < 3) return undefined;
  const waitNs = Number(fields[1]);
  return Number.isFinite(waitNs) && waitNs >= 0 ? waitNs / 1e6 : undefined;
}
