import { describe, expect, it } from "vitest";
import type { CaseResult, RequirementResult } from "../../results/conformance.ts";
import { blocksGate, gate } from "../../results/verdicts.ts";
import type { RequirementId } from "../requirements.ts";
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
