import type { ExitInfo } from "../../common/launch.ts";
import type { ListeningSocket } from "../../common/probes/procfs.ts";
import { findLine, type LineMatcher } from "./console-lines.ts";
import { type Finding, fail } from "./outcome.ts";

/**
 * The shared verifiers: every check states its findings through these, so that
 * every failure reads the same way (expected versus actual, with evidence).
 */

export function pids(list: readonly number[]): string {
  return list.length === 0 ? "none" : `[${[...list].sort((a, b) => a - b).join(", ")}]`;
}

export function processCount(what: string, expected: number, found: readonly number[]): Finding {
  if (found.length === expected) return { ok: true, summary: `${found.length} ${what}` };
  return {
    ok: false,
    outcome: fail(
      `${found.length} ${what} instead of ${expected}`,
      `${expected} ${what}`,
      `${found.length} ${what} ${pids(found)}`,
    ),
  };
}

/** How the LISTEN sockets on a port are held, relative to the workers and the started process. */
export interface Ownership {
  sockets: number;
  /** worker pid -> LISTEN sockets it holds alone */
  perWorker: Record<number, number>;
  workersWithout: number[];
  workersWithSeveral: number[];
  /** sockets held by more than one process (inherited), with their holders */
  shared: Array<{ inode: number; holders: number[] }>;
  heldByParent: number;
  /** holders that are neither the started process nor one of its workers */
  foreign: number[];
}

export function ownership(
  sockets: readonly ListeningSocket[],
  workers: readonly number[],
  parent: number,
): Ownership {
  const perWorker: Record<number, number> = {};
  for (const pid of workers) perWorker[pid] = 0;
  const shared: Ownership["shared"] = [];
  const foreign = new Set<number>();
  let heldByParent = 0;
  for (const socket of sockets) {
    if (socket.holders.length > 1) shared.push({ inode: socket.inode, holders: socket.holders });
    for (const holder of socket.holders) {
      if (holder === parent) heldByParent++;
      else if (holder in perWorker && socket.holders.length === 1)
        perWorker[holder] = (perWorker[holder] ?? 0) + 1;
      else if (!(holder in perWorker)) foreign.add(holder);
    }
  }
  return {
    sockets: sockets.length,
    perWorker,
    workersWithout: workers.filter((pid) => perWorker[pid] === 0),
    workersWithSeveral: workers.filter((pid) => (perWorker[pid] ?? 0) > 1),
    shared,
    heldByParent,
    foreign: [...foreign],
  };
}

export function describeSockets(sockets: readonly ListeningSocket[]): string {
  if (sockets.length === 0) return "no LISTEN socket";
  return sockets.map((s) => `${s.address}:${s.port} held by ${pids(s.holders)}`).join(", ");
}

export function lineSeen(lines: readonly string[], matcher: LineMatcher, when: string): Finding {
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
    ),
  };
}
