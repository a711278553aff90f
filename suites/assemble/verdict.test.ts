import { describe, expect, it } from "vitest";
import type { CaseResult, RequirementResult } from "../../results/conformance.ts";
import { blocksGate, gate, gateText, slowestRequirements } from "../../results/verdicts.ts";
import { REQUIREMENTS, type Requirement, type RequirementId } from "../requirements.ts";
import { applyDependencies } from "./assemble-report.ts";
import { applyExpectation, combineCases, requirementResult } from "./verdict.ts";

function kase(status: CaseResult["status"], name = "", summary: string = status): CaseResult {
  return { requirement: "SPAWN-1", case: name, status, summary, evidence: {}, durationMs: 1 };
}

describe("combineCases", () => {
  it("fails when any case fails, and says which", () => {
    expect(combineCases([kase("pass", "SIGINT", "ok"), kase("fail", "SIGTERM", "exit 1")])).toEqual({
      status: "fail",
      summary: "SIGTERM: exit 1",
    });
  });

  it("lets a harness error win over a failure", () => {
    expect(combineCases([kase("fail"), kase("error")]).status).toBe("error");
  });

  it("passes with some cases not applicable, naming them", () => {
    expect(combineCases([kase("pass", "darwin", "ok"), kase("not-applicable", "win32")])).toEqual({
      status: "pass",
      summary: "darwin: ok (not applicable: win32)",
    });
  });

  it("is not applicable only when no case could run, and an error when none ran", () => {
    expect(combineCases([kase("not-applicable"), kase("not-applicable")]).status).toBe("not-applicable");
    expect(combineCases([]).status).toBe("error");
  });
});

describe("applyExpectation", () => {
  const entry = { id: "SIGNAL-4" as RequirementId, reason: "SIGKILL since 0.11", until: "2027-06-30" };

  it("turns a listed failure into an expected failure until its date", () => {
    expect(applyExpectation("fail", entry, "2027-06-30")).toEqual({
      verdict: "expected-fail",
      note: "expected until 2027-06-30: SIGKILL since 0.11",
    });
  });

  it("counts the failure again once the date has passed", () => {
    expect(applyExpectation("fail", entry, "2027-07-01")).toEqual({
      verdict: "fail",
      note: "listed in expect, but that expired on 2027-06-30",
    });
  });

  it("reports a listed requirement that now passes", () => {
    expect(applyExpectation("pass", entry, "2027-01-01")).toEqual({
      verdict: "pass",
      note: "listed in expect but passes: remove the entry",
    });
  });

  it("leaves an unlisted result alone", () => {
    expect(applyExpectation("fail", undefined, "2027-01-01")).toEqual({ verdict: "fail" });
  });
});

describe("gate", () => {
  it("fails on a MUST failure, on a SHOULD failure only when strict, never on INFO", () => {
    expect(blocksGate("MUST", "fail", false)).toBe(true);
    expect(blocksGate("SHOULD", "fail", false)).toBe(false);
    expect(blocksGate("SHOULD", "fail", true)).toBe(true);
    expect(blocksGate("MUST", "expected-fail", true)).toBe(false);
  });

  it("blocks on a harness error in a MUST, and in a SHOULD or INFO check only when strict", () => {
    expect(blocksGate("MUST", "error", false)).toBe(true);
    expect(blocksGate("SHOULD", "error", false)).toBe(false);
    expect(blocksGate("INFO", "error", false)).toBe(false);
    expect(blocksGate("SHOULD", "error", true)).toBe(true);
    expect(blocksGate("INFO", "error", true)).toBe(true);
  });

  it("counts verdicts and names what blocks", () => {
    const results: RequirementResult[] = [
      requirementResult("SPAWN-1", [kase("pass")], [], "2027-01-01"),
      requirementResult("PORT-1", [{ ...kase("fail"), requirement: "PORT-1" }], [], "2027-01-01"),
      requirementResult("INPUT-1", [{ ...kase("fail"), requirement: "INPUT-1" }], [], "2027-01-01"),
    ];
    expect(gate(results, false)).toMatchObject({ passed: false, exitCode: 1, blocking: ["PORT-1"] });
    expect(gate(results, true).blocking).toEqual(["PORT-1", "INPUT-1"]);
    expect(gate(results.slice(0, 1), false)).toMatchObject({ passed: true, exitCode: 0 });
    expect(gate(results, false).counts).toMatchObject({ pass: 1, fail: 2 });
  });
});

describe("dependent verdicts", () => {
  const result = (
    id: string,
    verdict: RequirementResult["verdict"],
    cases: CaseResult[] = [],
  ): RequirementResult => ({
    id,
    level: "MUST",
    area: id.split("-")[0] ?? "",
    text: "",
    verdict,
    summary: verdict,
    cases,
  });
  const failed = (id: string, cause?: string): CaseResult => ({
    ...kase("fail", "workers=4", "3 worker processes instead of 4"),
    requirement: id,
    ...(cause ? { cause } : {}),
  });

  it("a requirement whose dependency failed with a cause it names is not judged, with the reason", () => {
    const out = applyDependencies([
      result("SPAWN-1", "fail", [failed("SPAWN-1", "workers-missing")]),
      result("DIST-1", "fail"),
      result("HTTP-1", "pass"),
    ]);
    expect(out[1]).toMatchObject({
      verdict: "not-judged",
      notJudged: { needs: "SPAWN-1" },
      summary: expect.stringMatching(/^needs SPAWN-1: the kit could not find the workers/),
    });
    // A pass would speak for workers the kit never saw: not judged either.
    expect(out[2]?.verdict).toBe("not-judged");
    const g = gate(out, false);
    expect(g.blocking).toEqual(["SPAWN-1"]);
    expect(g.notJudged).toEqual(["DIST-1", "HTTP-1"]);
    expect(gateText(g)).toBe("FAIL (SPAWN-1; not judged: DIST-1, HTTP-1)");
  });

  it("stays judged when the dependency failed for another reason, or was not run", () => {
    const extra = applyDependencies([
      result("SPAWN-1", "fail", [failed("SPAWN-1")]),
      result("DIST-1", "fail"),
    ]);
    expect(extra[1]?.verdict).toBe("fail");
    expect(applyDependencies([result("DIST-1", "fail")])[0]?.verdict).toBe("fail");
  });

  it("names the root failures first in the gate", () => {
    const out = applyDependencies([
      result("PORT-1", "fail"),
      result("SIGNAL-3", "fail", [failed("SIGNAL-3", "no-exit")]),
      result("SIGNAL-4", "fail"),
    ]);
    expect(gate(out, false).blocking).toEqual(["SIGNAL-3", "PORT-1"]);
  });

  it("never lets a not-judged verdict hide a gate failure: a dependency is never of a lower level", () => {
    const rank = { MUST: 2, SHOULD: 1, INFO: 0 } as const;
    for (const [id, requirement] of Object.entries(REQUIREMENTS) as Array<[string, Requirement]>) {
      for (const dependency of requirement.dependsOn ?? []) {
        const root = REQUIREMENTS[dependency.id as RequirementId];
        expect(root, `${id} depends on ${dependency.id}`).toBeDefined();
        expect(rank[root.level], `${id} (${requirement.level}) on ${dependency.id}`).toBeGreaterThanOrEqual(
          rank[requirement.level],
        );
      }
    }
  });
});

describe("slowestRequirements", () => {
  it("counts a case's own time, not its wait for other checks' loads", () => {
    const cases = (ms: number, waited?: number): CaseResult[] => [
      {
        requirement: "X-1",
        case: "",
        status: "pass",
        summary: "",
        evidence: waited === undefined ? {} : { waitedForOtherLoadsMs: waited },
        durationMs: ms,
      },
    ];
    expect(
      slowestRequirements(
        [
          { id: "SIGNAL-6", cases: cases(7_000, 5_000) },
          { id: "HANG-1", cases: cases(4_500) },
          { id: "HTTP-2", cases: cases(10) },
        ],
        2,
      ),
    ).toEqual([
      { id: "HANG-1", ms: 4_500 },
      { id: "SIGNAL-6", ms: 2_000 },
    ]);
  });
});
