import { describe, expect, it } from "vitest";
import type { CaseResult, RequirementResult } from "../results/conformance.ts";
import { caseDetail, renderRoleTable } from "./failure-detail.ts";

const rows = [
  {
    pid: 100,
    ppid: 1,
    role: "launcher" as const,
    cmdline: "timeout 600 python3 app.py",
    listening: [],
    accepted: 0,
  },
  { pid: 101, ppid: 100, role: "primary" as const, cmdline: "python3 app.py", listening: [7], accepted: 0 },
  { pid: 102, ppid: 101, role: "worker" as const, cmdline: "python3 app.py", listening: [7], accepted: 12 },
];

describe("renderRoleTable", () => {
  it("aligns numbers right and text left", () => {
    expect(renderRoleTable(rows)).toEqual([
      "pid  parent  role      listening  accepted  command",
      "100       1  launcher          0         0  timeout 600 python3 app.py",
      "101     100  primary           1         0  python3 app.py",
      "102     101  worker            1        12  python3 app.py",
    ]);
  });
});

describe("caseDetail", () => {
  it("re-states the requirement, expected versus actual, the hint and the processes", () => {
    const failed: CaseResult = {
      requirement: "PORT-2",
      case: "workers=4",
      status: "fail",
      summary: "the primary holds 1 LISTEN socket(s)",
      expected: "no LISTEN socket held by the primary",
      actual: "127.0.0.1:5000 held by [101, 102]",
      hint: "bind in each worker",
      evidence: { processes: rows },
      durationMs: 1,
    };
    const requirement = {
      id: "PORT-2",
      level: "MUST",
      text: "The started (parent) process holds no listening socket.",
      cases: [failed],
    } as unknown as RequirementResult;
    const lines = caseDetail(requirement, failed);
    expect(lines.slice(0, 5)).toEqual([
      "PORT-2 (MUST) [workers=4]: the primary holds 1 LISTEN socket(s)",
      "  requirement: The started (parent) process holds no listening socket.",
      "  expected:    no LISTEN socket held by the primary",
      "  actual:      127.0.0.1:5000 held by [101, 102]",
      "  hint:        bind in each worker",
    ]);
    expect(lines[5]).toBe("  processes:");
    expect(lines).toHaveLength(10);
  });
});
