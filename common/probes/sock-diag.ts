import { runProcess } from "../run-process.ts";
import { establishedOn as establishedOnProc } from "./procfs.ts";

/**
 * Counting a port's established connections through the kernel's socket diagnostics (netlink
 * sock_diag, by iproute2's `ss`), which filter by state and port in the kernel. /proc/net/tcp prints
 * every connection of the namespace, TIME_WAIT ones included, and a benchmark leaves tens of thousands
 * of those for a minute: with 60,000 of them one read of it took 0.1-0.8 s (measured beside a load),
 * and the bench's reading at half of a 1 s run was still going when the run ended (it recorded 0).
 * With `ss` the same count took 0.02-0.03 s on the same table.
 */

/** A hard bound for one `ss` run: a kernel dump that takes longer is not worth waiting for. */
const SS_TIMEOUT_MS = 5_000;

/** Pure: the count of connection rows in `ss -H` output (one line each, no header). */
export function countSsRows(stdout: string): number {
  return stdout.split("\n").filter((line) => line.trim() !== "").length;
}

/** The established TCP connections (IPv4 and IPv6) whose local port is `port`, by `ss`; undefined without it. */
export async function establishedBySs(port: number): Promise<number | undefined> {
  const run = await runProcess("ss", ["-H", "-t", "-n", "state", "established", `( sport = :${port} )`], {
    timeoutMs: SS_TIMEOUT_MS,
  }).catch(() => undefined);
  return run?.code === 0 ? countSsRows(run.stdout) : undefined;
}

/** The established TCP connections whose local port is `port`: by `ss` where it runs, else from /proc. */
export async function establishedOn(port: number): Promise<number> {
  return (await establishedBySs(port)) ?? (await establishedOnProc(port));
}
