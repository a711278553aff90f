import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { formatCpuList, parseCpuList } from "../common/cpu-list.ts";
import { RuntimeError, UsageError } from "../common/errors.ts";
import { runProcess } from "../common/run-process.ts";

/**
 * Where the load generator and the target run: disjoint CPU sets, so that the
 * loader does not take the server's CPU and each side's saturation can be
 * judged on its own CPUs. Applied with taskset (util-linux), which every
 * process of the target inherits.
 */
export interface Placement {
  loaderCpus: number[];
  targetCpus: number[];
}

/**
 * The default: the loader gets the fewest CPUs that let it keep up (one per
 * loader thread, at most half of them), the target the rest. null with fewer
 * than 2 CPUs: nothing to separate.
 */
export function defaultPlacement(available: readonly number[], loaderThreads: number): Placement | null {
  if (available.length < 2) return null;
  const loaderCount = Math.max(1, Math.min(loaderThreads, Math.floor(available.length / 2)));
  return { loaderCpus: available.slice(0, loaderCount), targetCpus: available.slice(loaderCount) };
}

/** `--cpus loader=0,target=1-3`: both sets, disjoint, among the CPUs this process may use. */
export function parsePlacement(text: string, available: readonly number[]): Placement {
  const match = /^loader=([\d,-]+?),target=([\d,-]+)$/.exec(text.trim());
  if (!match) throw new UsageError(`--cpus must look like loader=0,target=1-3, got '${text}'`);
  const loaderCpus = parseCpuList(match[1] as string);
  const targetCpus = parseCpuList(match[2] as string);
  const overlap = loaderCpus.filter((cpu) => targetCpus.includes(cpu));
  if (overlap.length > 0) throw new UsageError(`--cpus: CPU ${formatCpuList(overlap)} is in both sets`);
  const missing = [...loaderCpus, ...targetCpus].filter((cpu) => !available.includes(cpu));
  if (missing.length > 0) {
    throw new UsageError(
      `--cpus: CPU ${formatCpuList(missing)} is not available here (available: ${formatCpuList(available)})`,
    );
  }
  return { loaderCpus, targetCpus };
}

/** The CPUs this process may run on (its affinity), from /proc; elsewhere all of them. */
export function availableCpus(): number[] {
  try {
    const status = readFileSync("/proc/self/status", "utf8");
    const list = /^Cpus_allowed_list:\s*(\S+)$/m.exec(status)?.[1];
    if (list) return parseCpuList(list);
  } catch {
    // no /proc: fall through
  }
  return Array.from({ length: availableParallelism() }, (_, i) => i);
}

/** The command prefix that runs a program on `cpus`. */
export function tasksetPrefix(cpus: readonly number[]): string[] {
  return ["taskset", "-c", formatCpuList(cpus)];
}

let pinned: string | undefined;

/** Pins every thread of this process (an in-process load generator) to `cpus`. */
export async function pinSelf(cpus: readonly number[]): Promise<void> {
  const list = formatCpuList(cpus);
  if (pinned === list) return;
  const run = await runProcess("taskset", ["-a", "-p", "-c", list, String(process.pid)]);
  if (run.code !== 0)
    throw new RuntimeError(`taskset could not pin the load generator: ${run.stderr.trim()}`);
  pinned = list;
}
