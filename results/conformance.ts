import type { Count, Integer, IsoTime, NonNegative, PositiveCount } from "./units.ts";

/** How binding a requirement is: a MUST failure fails the gate, a SHOULD failure only under --strict. */
export type Level = "MUST" | "SHOULD" | "INFO";

/**
 * A requirement's stable id as SPEC.md numbers it (`SIGNAL-3`); the suite's table is the list.
 * @pattern ^[A-Z]+-[0-9]+$
 */
export type RequirementId = string;

/** What one case of one check found. */
export type CaseStatus = "pass" | "fail" | "not-applicable" | "info" | "error";

export type Evidence = Record<string, unknown>;

export interface CaseResult {
  requirement: RequirementId;
  /** e.g. `workers=4`, `SIGTERM`, `darwin`; empty for a check with one case. */
  case: string;
  status: CaseStatus;
  /** One line: what was seen (pass, info) or why it failed, or why it does not apply. */
  summary: string;
  expected?: string;
  actual?: string;
  /** For a failure with a usual cause: one line on the cause and the fix. */
  hint?: string;
  /** What kind of failure it was, as a code other requirements' dependencies name (`workers-missing`). */
  cause?: string;
  evidence: Evidence;
  durationMs: NonNegative;
}

/** A requirement's verdict, after its cases are combined and the manifest's `expect` list applied. */
export type Verdict =
  | "pass"
  | "fail"
  | "expected-fail"
  | "not-applicable"
  | "info"
  | "error"
  /** A requirement it depends on failed in a way that leaves nothing true to say: see `notJudged`. */
  | "not-judged";

export interface RequirementResult {
  id: RequirementId;
  level: Level;
  area: string;
  text: string;
  verdict: Verdict;
  /** One line for the console table and the dashboard. */
  summary: string;
  /** Set when `expect` changed or annotates the verdict (expected, expired, listed but passing). */
  note?: string;
  /** With the verdict `not-judged`: the requirement whose failure it depends on, and why it cannot be judged. */
  notJudged?: { needs: RequirementId; reason: string };
  cases: CaseResult[];
}

export interface GateResult {
  passed: boolean;
  exitCode: 0 | 1;
  strict: boolean;
  counts: Record<Verdict, Count>;
  /** The ids that failed the gate, the root failures (those others depend on) first. */
  blocking: RequirementId[];
  /** The ids not judged because a requirement they depend on failed (absent in version 1 files). */
  notJudged?: RequirementId[];
}

export const CONFORMANCE_SCHEMA_VERSION = 3;

export interface ConformanceReport {
  /** 2 since not-judged verdicts, 3 since a partial run says how many requirements the suite has; older files are read too. */
  schemaVersion: 1 | 2 | typeof CONFORMANCE_SCHEMA_VERSION;
  kind: "conformance";
  suiteVersion: string;
  startedAt: IsoTime;
  durationMs: NonNegative;
  target: { name: string; manifest: string; command: string[] };
  host: {
    os: string;
    kernel: string;
    arch: string;
    node: string;
    cpus: PositiveCount;
    procAvailable: boolean;
  };
  /**
   * `only`: the requirements selected with --only, or null for all; `of`: how many requirements the
   * suite that ran has (absent in older files), so that a partial run can say what it left out.
   */
  options: { strict: boolean; today: string; only: string[] | null; of?: PositiveCount };
  requirements: RequirementResult[];
  gate: GateResult;
}

export type Role = "launcher" | "primary" | "worker" | "helper";

export interface ProcessRow {
  pid: Integer;
  ppid: Integer;
  role: Role;
  cmdline: string;
  /** Inodes of the LISTEN sockets on the port that it holds. */
  listening: Integer[];
  /** Connections on the port the kit saw it accept. */
  accepted: Count;
}
