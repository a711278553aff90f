import {
  type CaseResult,
  CONFORMANCE_SCHEMA_VERSION,
  type ConformanceReport,
} from "../../results/conformance.ts";
import { gate } from "../../results/verdicts.ts";
import type { Manifest } from "../../targets/manifest.ts";
import { REQUIREMENT_IDS, type RequirementId } from "../requirements.ts";
import { requirementResult } from "./verdict.ts";

/** Everything about a run that is not a check result. */
export interface RunFacts {
  suiteVersion: string;
  startedAt: string;
  durationMs: number;
  host: ConformanceReport["host"];
  strict: boolean;
  today: string;
}

/** Pure: the cases a run collected, as the report every output is rendered from. */
export function buildReport(
  cases: readonly CaseResult[],
  manifest: Manifest,
  facts: RunFacts,
  ids: readonly RequirementId[] = REQUIREMENT_IDS,
): ConformanceReport {
  const requirements = ids.map((id) =>
    requirementResult(
      id,
      cases.filter((c) => c.requirement === id),
      manifest.expect,
      facts.today,
    ),
  );
  return {
    schemaVersion: CONFORMANCE_SCHEMA_VERSION,
    kind: "conformance",
    suiteVersion: facts.suiteVersion,
    startedAt: facts.startedAt,
    durationMs: facts.durationMs,
    target: { name: manifest.name, manifest: manifest.path, command: manifest.command },
    host: facts.host,
    options: {
      strict: facts.strict,
      today: facts.today,
      only: ids.length === REQUIREMENT_IDS.length ? null : [...ids],
    },
    requirements,
    gate: gate(requirements, facts.strict),
  };
}
