import { UsageError } from "./errors.ts";

/** CPU lists as taskset and /proc write them; pure, so the report page uses them too. */

/** "0-2,5" -> [0, 1, 2, 5]; a bad list is a UsageError naming `flag`. */
export function parseCpuList(text: string, flag = "--cpus"): number[] {
  const cpus = new Set<number>();
  for (const part of text.split(",")) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    const low = Number(match?.[1]);
    const high = Number(match?.[2] ?? match?.[1]);
    if (!match || high < low)
      throw new UsageError(`${flag}: '${part}' is not a CPU number or range (like 0-3)`);
    for (let cpu = low; cpu <= high; cpu++) cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}

/** [0, 1, 2, 5] -> "0-2,5" */
export function formatCpuList(cpus: readonly number[]): string {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    ranges.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return ranges.join(",");
}
