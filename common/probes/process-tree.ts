import type { ProcStat } from "./proc-parse.ts";

/** Every process below `root` (not `root` itself), found by walking parent pids, nearest first. */
export function descendantsOf<T extends Pick<ProcStat, "pid" | "ppid">>(
  root: number,
  processes: Iterable<T>,
): T[] {
  const children = new Map<number, T[]>();
  for (const proc of processes) {
    const list = children.get(proc.ppid);
    if (list) list.push(proc);
    else children.set(proc.ppid, [proc]);
  }
  const found: T[] = [];
  const queue = [root];
  const seen = new Set<number>([root]);
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    for (const child of children.get(pid) ?? []) {
      if (seen.has(child.pid)) continue;
      seen.add(child.pid);
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}
