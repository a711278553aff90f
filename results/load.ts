import { UsageError } from "../common/errors.ts";
import { readJsonFile } from "../common/json-file.ts";
import type { BenchResult } from "./bench.ts";
import type { ConformanceReport } from "./conformance.ts";
import type { LifecycleResult } from "./lifecycle.ts";
import { validateResult } from "./schemas/validate.ts";

interface Kinds {
  bench: BenchResult;
  conformance: ConformanceReport;
  lifecycle: LifecycleResult;
}

/** Versions this kit reads; an older conformance file lacks only what was added since (not-judged verdicts). */
const SUPPORTED: Record<keyof Kinds, number[]> = {
  bench: [1, 2, 3],
  conformance: [1, 2, 3],
  lifecycle: [1, 2, 3],
};

/** Reads a result file the kit wrote; anything else is one line naming the file and the problem. */
export function loadResultFile<K extends keyof Kinds>(path: string, kind: K): Kinds[K] {
  const data = readJsonFile(path);
  const header = (typeof data === "object" && data !== null ? data : {}) as {
    kind?: unknown;
    schemaVersion?: unknown;
  };
  if (header.kind !== kind) {
    throw new UsageError(`${path}: not a ${kind} result (kind: ${JSON.stringify(header.kind ?? null)})`);
  }
  if (typeof header.schemaVersion !== "number" || !SUPPORTED[kind].includes(header.schemaVersion)) {
    throw new UsageError(
      `${path}: ${kind} results of schema version ${JSON.stringify(header.schemaVersion ?? null)} are not supported (this kit reads ${SUPPORTED[kind].join(", ")})`,
    );
  }
  const problems = validateResult(kind, header.schemaVersion, data);
  if (problems.length > 0) throw new UsageError(`${path}: does not match its schema: ${problems[0]}`);
  return data as Kinds[K];
}
