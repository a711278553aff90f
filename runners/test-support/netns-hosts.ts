import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ProcessRun, runProcess } from "../../common/run-process.ts";
import { sleep } from "../../common/sleep.ts";

/**
 * Load hosts for tests, made on this machine: each is a network namespace with
 * a veth pair on a bridge, an address from 198.18.0.0/15 (reserved for
 * benchmark testing), and Debian's sshd running inside with a throwaway host
 * key and an authorized key made for the test. The target listens on the
 * bridge's address in the root namespace. Everything is created here and
 * removed by `remove()` (namespaces, links, sshd, keys); the user's ssh config
 * is never read for writing nor changed: the client gets its own options.
 */
export interface LoadHostsFixture {
  /** The bridge's address here: what the target listens on and the load hosts reach. */
  targetAddress: string;
  hosts: Array<{ namespace: string; address: string; spec: string; link: string }>;
  /** For `bench --ssh-option`: this fixture's key and known hosts, nothing of the user's. */
  sshOptions: string[];
  /** Runs a command inside a load host's namespace. */
  exec(index: number, command: string, args: string[]): Promise<ProcessRun>;
  /** Cuts a load host off the network (its link down), as a pulled cable would. */
  cut(index: number): Promise<void>;
  remove(): Promise<void>;
}

const SSHD = "/usr/sbin/sshd";

async function run(command: string, args: string[]): Promise<ProcessRun> {
  const result = await runProcess(command, args, { timeoutMs: 20_000 });
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(" ")}: exit ${result.code}: ${result.stderr.trim().split("\n")[0] ?? ""}`,
    );
  }
  return result;
}

/** A throwaway ed25519 key pair without a passphrase, at `path` and `path.pub`. */
export async function makeKey(path: string): Promise<void> {
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path, "-C", "bustbench-test"]);
}

/** Why load hosts cannot be made here (skip the test with it), or null when they can. */
export async function cannotMakeLoadHosts(): Promise<string | null> {
  if (process.platform !== "linux") return "network namespaces are Linux only";
  if (process.getuid?.() !== 0) return "making network namespaces needs root";
  if (!existsSync(SSHD)) return `${SSHD} is missing (Debian's openssh-server; make test installs it)`;
  const probe = `bbprobe${randomBytes(2).toString("hex")}`;
  const made = await runProcess("ip", ["netns", "add", probe], { timeoutMs: 10_000 }).catch(() => undefined);
  if (made?.code !== 0) return `cannot create a network namespace: ${made?.stderr.trim() || "ip is missing"}`;
  await runProcess("ip", ["netns", "del", probe], { timeoutMs: 10_000 });
  return null;
}

export async function makeLoadHosts(count: number): Promise<LoadHostsFixture> {
  const id = randomBytes(2).toString("hex");
  const subnet = `198.18.${1 + (Number.parseInt(id, 16) % 254)}`;
  const dir = mkdtempSync(join(tmpdir(), `bustbench-loadhosts-${id}-`));
  const bridge = `bbbr${id}`;
  const sshds: ChildProcess[] = [];
  const namespaces: string[] = [];
  const links: string[] = [];
  // Synchronous, so that the same removal runs from afterAll and, if the test process ends
  // without it (a crash, a timeout), from its exit handler.
  let removed = false;
  const removeNow = () => {
    if (removed) return;
    removed = true;
    process.off("exit", removeNow);
    const ip = (...args: string[]) =>
      spawnSync("ip", args, { stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 });
    for (const child of sshds) child.kill("SIGKILL");
    // Deleting a namespace kills nothing: sshd and wrk there are killed by pid first.
    for (const ns of namespaces) {
      for (const pid of String(ip("netns", "pids", ns).stdout ?? "")
        .split(/\s+/)
        .filter(Boolean)) {
        try {
          process.kill(Number(pid), "SIGKILL");
        } catch {
          // gone already
        }
      }
      ip("netns", "del", ns);
    }
    for (const link of links) ip("link", "del", link);
    ip("link", "del", bridge);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", removeNow);
  const remove = async () => removeNow();
  try {
    await makeKey(join(dir, "client"));
    await makeKey(join(dir, "host"));
    writeFileSync(join(dir, "authorized_keys"), readFileSync(join(dir, "client.pub")));
    chmodSync(join(dir, "authorized_keys"), 0o600);
    const hostKey = readFileSync(join(dir, "host.pub"), "utf8").trim().split(" ").slice(0, 2).join(" ");
    // sshd's privilege separation directory.
    mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });

    await run("ip", ["link", "add", bridge, "type", "bridge"]);
    await run("ip", ["addr", "add", `${subnet}.1/24`, "dev", bridge]);
    await run("ip", ["link", "set", bridge, "up"]);
    const hosts: LoadHostsFixture["hosts"] = [];
    const known: string[] = [];
    for (let i = 0; i < count; i++) {
      const ns = `bustbench-${id}-${i}`;
      const link = `bbv${id}${i}`;
      const peer = `bbp${id}${i}`;
      const address = `${subnet}.${i + 2}`;
      await run("ip", ["netns", "add", ns]);
      namespaces.push(ns);
      await run("ip", ["link", "add", link, "type", "veth", "peer", "name", peer]);
      links.push(link);
      await run("ip", ["link", "set", peer, "netns", ns]);
      await run("ip", ["link", "set", link, "master", bridge]);
      await run("ip", ["link", "set", link, "up"]);
      await run("ip", ["-n", ns, "addr", "add", `${address}/24`, "dev", peer]);
      await run("ip", ["-n", ns, "link", "set", peer, "up"]);
      await run("ip", ["-n", ns, "link", "set", "lo", "up"]);
      const config = join(dir, `sshd-${i}.conf`);
      writeFileSync(
        config,
        [
          `ListenAddress ${address}`,
          "Port 22",
          `HostKey ${join(dir, "host")}`,
          `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
          `PidFile ${join(dir, `sshd-${i}.pid`)}`,
          "PermitRootLogin prohibit-password",
          "PasswordAuthentication no",
          "KbdInteractiveAuthentication no",
          "UsePAM no",
          "StrictModes no",
          // A client that vanished (a cut link) is noticed within seconds.
          "ClientAliveInterval 2",
          "ClientAliveCountMax 2",
          "",
        ].join("\n"),
      );
      const sshd = spawn("ip", ["netns", "exec", ns, SSHD, "-D", "-e", "-f", config], { stdio: "ignore" });
      sshds.push(sshd);
      known.push(`${address} ${hostKey}`);
      hosts.push({ namespace: ns, address, spec: `root@${address}`, link });
    }
    writeFileSync(join(dir, "known_hosts"), `${known.join("\n")}\n`);
    const sshOptions = [
      `IdentityFile=${join(dir, "client")}`,
      "IdentitiesOnly=yes",
      `UserKnownHostsFile=${join(dir, "known_hosts")}`,
      "StrictHostKeyChecking=yes",
    ];
    // Ready when each sshd lets the client in.
    for (const host of hosts) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const probe = await runProcess(
          "ssh",
          [
            ...sshOptions.flatMap((o) => ["-o", o]),
            "-o",
            "BatchMode=yes",
            "-o",
            "ConnectTimeout=2",
            host.spec,
            "true",
          ],
          { timeoutMs: 5_000 },
        );
        if (probe.code === 0) break;
        if (Date.now() > deadline)
          throw new Error(`sshd in ${host.namespace} did not let the test in: ${probe.stderr.trim()}`);
        await sleep(100);
      }
    }
    return {
      targetAddress: `${subnet}.1`,
      hosts,
      sshOptions,
      exec: (index, command, args) => {
        const ns = hosts[index]?.namespace ?? "";
        return runProcess("ip", ["netns", "exec", ns, command, ...args], { timeoutMs: 20_000 });
      },
      cut: async (index) => {
        await run("ip", ["link", "set", hosts[index]?.link ?? "", "down"]);
      },
      remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}
