import { runProcess } from "../run-process.ts";
import type { TcpRow, TcpState } from "./proc-parse.ts";
import { tcpRows, tcpSocketCount } from "./procfs.ts";

/**
 * A port's TCP connections, read through the kernel's socket diagnostics (netlink sock_diag, by
 * iproute2's `ss`) when the namespace holds many sockets. /proc/net/tcp prints every socket of the
 * namespace, TIME_WAIT ones included, and a benchmark or a test phase leaves tens of thousands of those
 * for a minute: with 60,000 of them one read took 0.1-0.8 s here (beside a load), the bench's count at
 * half of a 1 s run was still going when the run ended (it recorded 0), and the reference's suite took
 * 27-34 s (median 29.5) instead of 20. sock_diag filters by port and state in the kernel: 0.02-0.03 s on that
 * table. But spawning `ss` costs 10-20 ms, more than reading a small table: below SS_FROM_SOCKETS, /proc.
 * Both give the same rows (the tests compare them).
 */

/** From this many TCP sockets in the namespace (open and TIME_WAIT), `ss` is the cheaper way to look. */
export const SS_FROM_SOCKETS = 5_000;

/** A hard bound for one `ss` run: a kernel dump that takes longer is not worth waiting for. */
const SS_TIMEOUT_MS = 5_000;

/** ss's state names for /proc's (`ss -H` prints the column when more than one state is asked for). */
const SS_STATES: Readonly<Record<string, TcpState>> = {
  ESTAB: "ESTABLISHED",
  "SYN-SENT": "SYN_SENT",
  "SYN-RECV": "SYN_RECV",
  "FIN-WAIT-1": "FIN_WAIT1",
  "FIN-WAIT-2": "FIN_WAIT2",
  "TIME-WAIT": "TIME_WAIT",
  UNCONN: "CLOSE",
  "CLOSE-WAIT": "CLOSE_WAIT",
  "LAST-ACK": "LAST_ACK",
  LISTEN: "LISTEN",
  CLOSING: "CLOSING",
};

/** "127.0.0.1:80", "[::1]:80", "127.0.0.1%lo:80", "0.0.0.0:*" as address, port (0 for *) and family. */
function endpoint(text: string): { address: string; port: number; family: 4 | 6 } {
  const colon = text.lastIndexOf(":");
  // A scope ("%lo", "[fe80::1%eth0]") is not part of the address /proc prints.
  const host = text.slice(0, colon).replace(/%[^\]]*/, "");
  const port = text.slice(colon + 1);
  const bracketed = host.startsWith("[") && host.endsWith("]");
  return {
    address: bracketed ? host.slice(1, -1) : host,
    port: port === "*" ? 0 : Number(port),
    family: bracketed || host.includes(":") ? 6 : 4,
  };
}

/**
 * Pure: `ss -H -t -n -e state all exclude time-wait` output as /proc's rows. Recv-Q is the receive
 * queue (the accept queue on a listener), as rx_queue in /proc/net/tcp; `ino:` is the socket's inode,
 * 0 for a connection no process holds yet; ss prints no uid for root's sockets, so uid is 0 unless named.
 */
export function parseSsRows(stdout: string): TcpRow[] {
  const rows: TcpRow[] = [];
  for (const line of stdout.split("\n")) {
    const [state = "", recvQ = "", , local = "", peer = "", ...extra] = line.trim().split(/\s+/);
    const mapped = SS_STATES[state];
    if (!mapped || mapped === "TIME_WAIT" || !local || !peer) continue;
    const from = endpoint(local);
    const to = endpoint(peer);
    const field = (name: string) =>
      Number(extra.find((item) => item.startsWith(`${name}:`))?.slice(name.length + 1) ?? 0);
    rows.push({
      family: from.family,
      localAddress: from.address,
      localPort: from.port,
      remoteAddress: to.address,
      remotePort: to.port,
      state: mapped,
      rxQueue: Number(recvQ),
      uid: field("uid"),
      inode: field("ino"),
    });
  }
  return rows;
}

/** The rows of sockets whose local port is `port`, TIME_WAIT left out, by `ss`; undefined without it. */
export async function portRowsBySs(port: number): Promise<TcpRow[] | undefined> {
  const args = ["-H", "-t", "-n", "-e", "state", "all", "exclude", "time-wait", `( sport = :${port} )`];
  const run = await runProcess("ss", args, { timeoutMs: SS_TIMEOUT_MS }).catch(() => undefined);
  return run?.code === 0 ? parseSsRows(run.stdout) : undefined;
}

/** The same rows from /proc/net/tcp and tcp6. */
export async function portRowsByProc(port: number): Promise<TcpRow[]> {
  return (await tcpRows()).filter((row) => row.localPort === port);
}

/** The rows of sockets whose local port is `port` (TIME_WAIT left out), the cheaper way for this host. */
export async function portRows(port: number): Promise<TcpRow[]> {
  const many = (tcpSocketCount() ?? 0) >= SS_FROM_SOCKETS;
  return (many ? await portRowsBySs(port) : undefined) ?? (await portRowsByProc(port));
}

/** The established TCP connections (IPv4 and IPv6) whose local port is `port`. */
export async function establishedOn(port: number): Promise<number> {
  return (await portRows(port)).filter((row) => row.state === "ESTABLISHED").length;
}
