import type { ListeningSocket } from "../common/probes/procfs.ts";
import type { ProcessRow, Role } from "../results/conformance.ts";

export type { ProcessRow, Role };

/**
 * The process model: what each process of a launch is, judged from outside
 * (parent links, LISTEN sockets held, connections seen accepted), never from
 * its name. Real servers are not one parent with N children:
 * - a launcher (`sh -c`, `timeout`, `npm start`, `uv run`) may sit above the
 *   primary: it holds no socket and has a single child that serves nothing;
 * - helpers (Python's resource tracker and fork server, reloaders, log
 *   shippers) hold no socket on the port and accept nothing;
 * - workers may be grandchildren (below a fork server), and may accept through a
 *   socket handed over by the primary (Node's round-robin cluster) rather than
 *   hold one.
 */

export interface TreeProcess {
  pid: number;
  ppid: number;
  cmdline: readonly string[];
}

export interface ProcessModel {
  startedPid: number;
  primaryPid: number;
  launchers: number[];
  workers: number[];
  helpers: number[];
  /** Every process of the launch, the started one first, then by depth. */
  rows: ProcessRow[];
  /** Pids outside the launch that hold a LISTEN socket on the port. */
  outsiders: number[];
  /** A process holding a LISTEN socket of its own while a descendant holds another: two layers serve. */
  nested: Array<{ ancestor: number; descendant: number }>;
}

/** Serving: holds a LISTEN socket on the port, or was seen accepting a connection on it. */
function servingIn(sockets: readonly ListeningSocket[], accepted: ReadonlyMap<number, number>) {
  const listening = new Map<number, number[]>();
  for (const socket of sockets) {
    for (const holder of socket.holders) {
      const list = listening.get(holder);
      if (list) list.push(socket.inode);
      else listening.set(holder, [socket.inode]);
    }
  }
  return {
    listening: (pid: number) => listening.get(pid) ?? [],
    serving: (pid: number) => (listening.get(pid)?.length ?? 0) > 0 || (accepted.get(pid) ?? 0) > 0,
  };
}

/**
 * Classifies the processes of one launch. `tree` holds the started process (if
 * still alive) and its live descendants. The primary is found by descending from
 * the started process through launchers: processes that serve nothing and have a
 * single child, itself a primary (a single child that serves alone is a worker:
 * the descent stops above it).
 */
export function classifyRoles(
  startedPid: number,
  tree: readonly TreeProcess[],
  sockets: readonly ListeningSocket[],
  accepted: ReadonlyMap<number, number> = new Map(),
): ProcessModel {
  const byPid = new Map(tree.map((proc) => [proc.pid, proc]));
  const children = new Map<number, number[]>();
  for (const proc of tree) {
    if (proc.pid === startedPid || !byPid.has(proc.ppid)) continue;
    const list = children.get(proc.ppid);
    if (list) list.push(proc.pid);
    else children.set(proc.ppid, [proc.pid]);
  }
  const { listening, serving } = servingIn(sockets, accepted);

  const launchers: number[] = [];
  let primaryPid = startedPid;
  for (;;) {
    const kids = children.get(primaryPid) ?? [];
    const only = kids[0];
    if (serving(primaryPid) || kids.length !== 1 || only === undefined) break;
    // A single child that serves alone is this primary's one worker (or the one process below a
    // launcher: the same shape); a single child with serving descendants is the primary itself.
    if (serving(only) && !descendants(only, children).some(serving)) break;
    launchers.push(primaryPid);
    primaryPid = only;
  }

  const below = descendants(primaryPid, children);
  const workers = below.filter(serving).sort((a, b) => a - b);
  const placed = new Set([...launchers, primaryPid, ...workers]);
  const ordered = [startedPid, ...descendants(startedPid, children)].filter((pid) => byPid.has(pid));
  const helpers = ordered.filter((pid) => !placed.has(pid));
  const roleOf = (pid: number): Role =>
    launchers.includes(pid)
      ? "launcher"
      : pid === primaryPid
        ? "primary"
        : workers.includes(pid)
          ? "worker"
          : "helper";
  const rows = ordered.map((pid) => {
    const proc = byPid.get(pid) as TreeProcess;
    return {
      pid,
      ppid: proc.ppid,
      role: roleOf(pid),
      cmdline: proc.cmdline.join(" "),
      listening: listening(pid),
      accepted: accepted.get(pid) ?? 0,
    };
  });

  const inTree = new Set(ordered);
  const outsiders = [...new Set(sockets.flatMap((s) => s.holders))].filter((pid) => !inTree.has(pid)).sort();
  const nested: ProcessModel["nested"] = [];
  for (const ancestor of ordered) {
    const own = listening(ancestor);
    if (own.length === 0) continue;
    for (const descendant of descendants(ancestor, children)) {
      const theirs = listening(descendant);
      // Only the same sockets held by both is an inherited listener (PORT-1 and PORT-2 judge that);
      // a descendant with a socket of its own below a listening ancestor is a second layer.
      if (theirs.some((inode) => !own.includes(inode))) nested.push({ ancestor, descendant });
    }
  }
  return { startedPid, primaryPid, launchers, workers, helpers, rows, outsiders, nested };
}

function descendants(root: number, children: ReadonlyMap<number, number[]>): number[] {
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** The processes that serve: the workers, and the primary when it serves itself (a one-process mode). */
export function servingPids(model: ProcessModel): number[] {
  const primary = model.rows.find((row) => row.pid === model.primaryPid);
  const primaryServes = primary !== undefined && (primary.listening.length > 0 || primary.accepted > 0);
  return primaryServes ? [model.primaryPid, ...model.workers] : [...model.workers];
}

/** How the LISTEN sockets on a port are held, relative to the workers and the primary. */
export interface Ownership {
  sockets: number;
  /** worker pid -> LISTEN sockets it holds alone */
  perWorker: Record<number, number>;
  workersWithout: number[];
  workersWithSeveral: number[];
  /** sockets held by more than one process (inherited), with their holders */
  shared: Array<{ inode: number; holders: number[] }>;
  /** LISTEN sockets the primary holds (alone or shared) */
  heldByPrimary: number;
  /** holders that are neither the primary nor one of its workers */
  foreign: number[];
}

export function ownership(
  sockets: readonly ListeningSocket[],
  workers: readonly number[],
  primary: number,
): Ownership {
  const perWorker: Record<number, number> = {};
  for (const pid of workers) perWorker[pid] = 0;
  const shared: Ownership["shared"] = [];
  const foreign = new Set<number>();
  let heldByPrimary = 0;
  for (const socket of sockets) {
    if (socket.holders.length > 1) shared.push({ inode: socket.inode, holders: socket.holders });
    for (const holder of socket.holders) {
      if (holder === primary) heldByPrimary++;
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
    heldByPrimary,
    foreign: [...foreign],
  };
}
