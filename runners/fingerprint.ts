import { createHash } from "node:crypto";

/** The facts that decide whether two hosts' figures can be compared. */
export interface HostIdentity {
  cpuModel: string;
  logicalCpus: number;
  physicalCores: number;
  memoryGiB: number;
  kernel: string;
  governor: string;
  mitigations: Record<string, string>;
}

/**
 * Pure: a short hash of the host's identity. Runs with the same fingerprint
 * ran on comparable hosts; `bench compare` refuses others unless forced.
 */
export function fingerprint(identity: HostIdentity): string {
  const canonical = JSON.stringify([
    identity.cpuModel.trim(),
    identity.logicalCpus,
    identity.physicalCores,
    identity.memoryGiB,
    identity.kernel,
    identity.governor,
    Object.entries(identity.mitigations).sort(([a], [b]) => a.localeCompare(b)),
  ]);
  return createHash("sha256").update(canonical).digest("hex").slice(0, 12);
}
