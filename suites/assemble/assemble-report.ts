import {
  type CaseResult,
  CONFORMANCE_SCHEMA_VERSION,
  type ConformanceReport,
  type RequirementResult,
} from "../../results/conformance.ts";
import { gate } from "../../results/verdicts.ts";
import type { Manifest } from "../../targets/manifest.ts";
import { REQUIREMENT_IDS, REQUIREMENTS, type Requirement, type RequirementId } from "../requirements.ts";
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
export function assembleReport(
  cases: readonly CaseResult[],
  manifest: Manifest,
  facts: RunFacts,
  ids: readonly RequirementId[] = REQUIREMENT_IDS,
): ConformanceReport {
  const requirements = applyDependencies(
    ids.map((id) =>
      requirementResult(
        id,
        cases.filter((c) => c.requirement === id),
        manifest.expect,
        facts.today,
      ),
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
      of: REQUIREMENT_IDS.length,
    },
    requirements,
    gate: gate(requirements, facts.strict),
  };
}

/**
 * Pure: a requirement whose dependency failed with one of the causes it names is not judged (its
 * own cases and evidence are kept): a failure would only repeat the cause and hide it, and a pass
 * would speak for workers the kit never saw. A dependency that was not run, or failed for another
 * reason, leaves the verdict as it is.
 */
export function applyDependencies(results: readonly RequirementResult[]): RequirementResult[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  return results.map((result) => {
    const requirement: Requirement | undefined = REQUIREMENTS[result.id as RequirementId];
    for (const dependency of requirement?.dependsOn ?? []) {
      const root = byId.get(dependency.id);
      const failedSo = root?.cases.some(
        (c) =>
          c.status === "fail" &&
          c.cause !== undefined &&
          (dependency.when as readonly string[]).includes(c.cause),
      );
      if (root && failedSo && result.verdict !== "not-applicable") {
        return {
          ...result,
          verdict: "not-judged",
          // No cases: the check was not run, since the dependency had already failed when its turn came.
          summary: `needs ${dependency.id}: ${dependency.reason}${result.cases.length === 0 ? " (not run)" : ""}`,
          notJudged: { needs: dependency.id, reason: dependency.reason },
        };
      }
    }
    return result;
  });
}
