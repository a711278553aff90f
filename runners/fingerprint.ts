import { createHash } from "node:crypto";
import type { HostIdentity } from "../results/bench.ts";

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
