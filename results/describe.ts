import { formatCpuList } from "../common/cpu-list.ts";
import type { BenchResult, LoadHostInfo } from "./bench.ts";

/**
 * Pure: where a run's load came from and where each side ran, in words. The console,
 * the Markdown and the page all say it with these functions.
 */

/** "loader pinned to CPU 0, target to CPU 1", or that both sides shared the host (older results too). */
export function describePlacement(
  placement: { loaderCpus: readonly number[]; targetCpus: readonly number[] } | null | undefined,
  logicalCpus: number,
): string {
  if (!placement) return `loader and target share the host's ${logicalCpus} CPU(s) (not pinned)`;
  return `loader pinned to CPU ${formatCpuList(placement.loaderCpus)}, target to CPU ${formatCpuList(placement.targetCpus)}`;
}

/** A load host: `root@h (4 CPU(s), model, kernel, wrk 4.2.0, rtt 0.042 ms, via ...)`. */
export function describeLoadHost(h: LoadHostInfo): string {
  const rtt = h.rttMs === null ? "unknown" : `${h.rttMs.toFixed(3)} ms`;
  return `${h.host} (${h.cpus} CPU(s), ${h.cpuModel}, ${h.kernel}, wrk ${h.wrkVersion}, rtt ${rtt}${h.path ? `, via ${h.path}` : ""})`;
}

/**
 * Where each side of a run ran: the placement (the same for every point of a run), or, with load
 * from other hosts, each load host and that the target had every CPU of this host.
 */
export function describeLoad(result: BenchResult): { term: "Placement" | "Load from"; text: string } {
  const hosts = result.loadHosts ?? [];
  if (hosts.length === 0) {
    const placement = result.points.find((p) => p.placement)?.placement;
    return { term: "Placement", text: describePlacement(placement, result.host.logicalCpus) };
  }
  return {
    term: "Load from",
    text: `${hosts.length} host(s) over ssh, ${result.options.connections} connection(s) each, to ${result.options.targetAddress ?? "?"}: ${hosts.map(describeLoadHost).join("; ")}; the target has all ${result.host.logicalCpus} CPU(s) of this host`,
  };
}

/** The same in one line: "loader pinned to CPU 0, target to CPU 1" or "load from 2 host(s) over ssh, …". */
export function describeLoadLine(result: BenchResult): string {
  const { term, text } = describeLoad(result);
  return term === "Placement" ? text : `load from ${text}`;
}
