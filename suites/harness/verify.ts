import type { ListeningSocket } from "../../common/probes/procfs.ts";
import type { Evidence } from "../../results/conformance.ts";
import { findLine, type LineMatcher } from "../../targets/console-lines.ts";
import type { ExitInfo } from "../../targets/launch.ts";
import type { ProcessModel } from "../../targets/roles.ts";
import { HINTS } from "./hints.ts";
import { type Finding, fail } from "./outcome.ts";

/**
 * The shared verifiers: every check states its findings through these, so that
 * every failure reads the same way (expected versus actual, with evidence).
 */

export function pids(list: readonly number[]): string {
  return list.length === 0 ? "none" : `[${[...list].sort((a, b) => a - b).join(", ")}]`;
}

export function processCount(
  what: string,
  expected: number,
  found: readonly number[],
  hint?: string,
): Finding {
  if (found.length === expected) return { ok: true, summary: `${found.length} ${what}` };
  return {
    ok: false,
    outcome: fail(
      `${found.length} ${what} instead of ${expected}`,
      `${expected} ${what}`,
      `${found.length} ${what} ${pids(found)}`,
      hint,
    ),
  };
}

/** Saves the table of roles (pid, parent, role, command line, sockets, connections accepted) as evidence. */
export function recordProcesses(evidence: Evidence, model: ProcessModel): void {
  evidence.processes = model.rows;
  if (model.outsiders.length > 0) evidence.outsideHolders = model.outsiders;
}

/** What else the launch holds besides its workers ("2 helper(s) [..]; primary 12 below 1 launcher(s)"), or "". */
export function describeRoles(model: ProcessModel): string {
  const parts: string[] = [];
  if (model.helpers.length > 0) parts.push(`${model.helpers.length} helper(s) ${pids(model.helpers)}`);
  if (model.launchers.length > 0)
    parts.push(`primary ${model.primaryPid} below ${model.launchers.length} launcher(s)`);
  return parts.join("; ");
}

export function describeSockets(sockets: readonly ListeningSocket[]): string {
  if (sockets.length === 0) return "no LISTEN socket";
  return sockets.map((s) => `${s.address}:${s.port} held by ${pids(s.holders)}`).join(", ");
}

export function lineSeen(
  lines: readonly string[],
  matcher: LineMatcher,
  when: string,
  hint: string | undefined = HINTS.bufferedOutput,
): Finding {
  const line = findLine(lines, matcher);
  if (line !== undefined) return { ok: true, summary: `printed "${line.trim()}"` };
  return {
    ok: false,
    outcome: fail(
      `no line "${matcher.description}" ${when}`,
      `a line "${matcher.description}" ${when}`,
      lines.length === 0
        ? "no output"
        : `${lines.length} line(s), none matching; last: "${(lines.at(-1) ?? "").trim()}"`,
      hint,
    ),
  };
}

export function describeExit(exit: ExitInfo | undefined): string {
  if (!exit) return "still running";
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

export function exitedWith(expectedCode: number, exit: ExitInfo | undefined, within: string): Finding {
  if (exit && exit.signal === null && exit.code === expectedCode) {
    return { ok: true, summary: `exit code ${expectedCode}` };
  }
  return {
    ok: false,
    outcome: fail(
      `${describeExit(exit)} ${within}`,
      `exit code ${expectedCode} ${within}`,
      describeExit(exit),
      exit ? HINTS.exitCode : HINTS.noExit,
      exit ? undefined : "no-exit",
    ),
  };
}
