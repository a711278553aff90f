import { runProcess } from "./run-process.ts";

/** Puts a command in a network namespace of its own, loopback up: `unshare -n sh -c '...' sh CMD...`. */
export type NetworkWrap = (command: readonly string[]) => string[];

const wrap: NetworkWrap = (command) => [
  "unshare",
  "-n",
  "sh",
  "-c",
  'ip link set lo up && exec "$@"',
  "sh",
  ...command,
];

let probed: Promise<NetworkWrap | undefined> | undefined;

/**
 * As root on Linux, a way to run a command in a network namespace of its own (it goes with the command):
 * it sees no other program's connections, and leaves its TIME_WAIT connections to nobody. Every look at
 * /proc/net/tcp reads every connection of the namespace, so a run beside others (tests side by side, the
 * 80,000 TIME_WAIT connections an earlier test phase leaves for a minute) pays for theirs on each look.
 * undefined where it cannot (not root, no unshare or ip): run as is. Probed once per process.
 */
export function freshNetwork(): Promise<NetworkWrap | undefined> {
  probed ??= (async () => {
    if (process.platform !== "linux" || process.getuid?.() !== 0) return undefined;
    const [command = "", ...args] = wrap(["true"]);
    const probe = await runProcess(command, args, { timeoutMs: 10_000 }).catch(() => undefined);
    return probe?.code === 0 ? wrap : undefined;
  })();
  return probed;
}
