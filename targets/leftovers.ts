import { environValue, isLive, readProcesses } from "../common/probes/procfs.ts";
import { LAUNCH_TAG_ENV } from "./launch.ts";

export interface Leftover {
  pid: number;
  tag: string;
  cmdline: string;
}

/** Every live process that this kit started in `session` (it carries BUSTBENCH_LAUNCH), wherever it went. */
export async function findLeftovers(session: string): Promise<Leftover[]> {
  const found: Leftover[] = [];
  for (const proc of await readProcesses()) {
    if (proc.pid === process.pid || !isLive(proc)) continue;
    const tag = await environValue(proc.pid, LAUNCH_TAG_ENV);
    if (tag?.startsWith(`${session}:`)) found.push({ pid: proc.pid, tag, cmdline: proc.cmdline.join(" ") });
  }
  return found;
}
