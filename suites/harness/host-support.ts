import { PROC_UNAVAILABLE_REASON, procAvailable } from "../../common/probes/procfs.ts";

/** What a check may need of the host it runs on; without it, the check is not applicable, with the reason. */
export type Need = "proc" | "linux" | "signals";

export interface HostSupport {
  platform: string;
  proc: boolean;
  signals: boolean;
}

export function hostSupport(): HostSupport {
  return { platform: process.platform, proc: procAvailable(), signals: process.platform !== "win32" };
}

/** Pure: the reason the first unmet need gives, or undefined when the host has all of them. */
export function unmetNeed(needs: readonly Need[], host: HostSupport): string | undefined {
  for (const need of needs) {
    if (need === "proc" && !host.proc) return PROC_UNAVAILABLE_REASON;
    if (need === "linux" && host.platform !== "linux") {
      return `the multi-process contract is Linux's (SO_REUSEPORT); this host is ${host.platform}`;
    }
    if (need === "signals" && !host.signals) {
      return "POSIX signals do not exist on Windows (Node can only terminate a process there)";
    }
  }
  return undefined;
}
