import { readdir, readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import type { HostIdentity, HostInfo } from "../results/bench.ts";
import { fingerprint } from "./fingerprint.ts";

async function readTrimmed(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, "utf8")).trim();
  } catch {
    return undefined;
  }
}

async function readNumber(path: string): Promise<number | null> {
  const text = await readTrimmed(path);
  return text === undefined || Number.isNaN(Number(text)) ? null : Number(text);
}

/** CPU-vulnerability mitigations as the kernel reports them (/sys/devices/system/cpu/vulnerabilities). */
async function mitigations(): Promise<Record<string, string>> {
  const dir = "/sys/devices/system/cpu/vulnerabilities";
  const result: Record<string, string> = {};
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch {
    return result;
  }
  for (const name of names.sort()) result[name] = (await readTrimmed(`${dir}/${name}`)) ?? "unreadable";
  return result;
}

/** The kernel's own model string: systeminformation shortens it (`AMD EPYC` for a whole family). */
async function cpuModelName(): Promise<string | undefined> {
  const info = await readTrimmed("/proc/cpuinfo");
  return info ? /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() : undefined;
}

/** systeminformation for the hardware and OS; /proc and /sys for what it does not report. */
export async function describeHost(): Promise<HostInfo> {
  // Loaded here, not at import: only a benchmark describes its host, and every command imports this.
  const { default: si } = await import("systeminformation");
  const [cpu, mem, os] = await Promise.all([si.cpu(), si.mem(), si.osInfo()]);
  const identity: HostIdentity = {
    cpuModel: (await cpuModelName()) ?? `${cpu.manufacturer} ${cpu.brand}`.trim(),
    logicalCpus: availableParallelism(),
    physicalCores: cpu.physicalCores,
    memoryGiB: Math.round(mem.total / 2 ** 30),
    kernel: os.kernel,
    governor: (await readTrimmed("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")) ?? "unavailable",
    mitigations: await mitigations(),
  };
  return {
    ...identity,
    fingerprint: fingerprint(identity),
    cpuSpeedGHz: cpu.speed || null,
    memoryBytes: mem.total,
    os: `${os.distro} ${os.release}`.trim(),
    arch: os.arch,
    somaxconn: await readNumber("/proc/sys/net/core/somaxconn"),
    tcpMigrateReq: await readNumber("/proc/sys/net/ipv4/tcp_migrate_req"),
    node: process.version,
  };
}
