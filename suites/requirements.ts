/**
 * The contract as numbered requirements: the one table that SPEC.md's list is
 * generated from and every check cites. An id, once published, never changes
 * meaning and is never reused; a retired id stays in RETIRED.
 */

import type { Level } from "../results/conformance.ts";

export type { Level };
export type Area =
  | "SPAWN"
  | "PORT"
  | "DIST"
  | "HTTP"
  | "SIGNAL"
  | "PLATFORM"
  | "DEBUG"
  | "INPUT"
  | "RESPAWN"
  | "GROUP"
  | "SERVICE"
  | "ORPHAN"
  | "HANG"
  | "SECURITY"
  | "INFO";

export interface Requirement {
  level: Level;
  area: Area;
  /** What an implementation must do, in our words. */
  text: string;
  /** The sentence of BustAPI's multiprocessing page it derives from, or why it was added. */
  source: { quote: string } | { notInSource: string };
  /** How a check sees it from outside: processes, sockets, console lines, HTTP. */
  observed: string;
  /**
   * Requirements this one cannot be judged without: when one of them failed with a cause listed in
   * `when`, this one's verdict is `not-judged` with `reason`, instead of a failure that only repeats
   * the cause. A dependency is never of a lower level (a not-judged verdict must not hide a gate failure).
   */
  dependsOn?: ReadonlyArray<{ id: string; when: readonly FailureCause[]; reason: string }>;
}

/** Why a check failed, where other requirements depend on the kind: the codes checks set on failures. */
export type FailureCause =
  /** SPAWN-1: fewer serving processes than the workers asked for were found. */
  | "workers-missing"
  /** SIGNAL-3: the started process did not exit within the stop timeout. */
  | "no-exit"
  /** SIGNAL-2: processes of the launch, or listeners on the port, outlived the stop timeout. */
  | "left-running";

const WORKERS_UNSEEN = {
  id: "SPAWN-1",
  when: ["workers-missing"],
  reason: "the kit could not find the workers asked for, so it cannot tell what each of them does",
} as const;
const STOP_UNFINISHED = {
  id: "SIGNAL-2",
  when: ["left-running"],
  reason:
    "processes or listeners of the target outlive the stop, so what closing them would lose cannot be seen",
} as const;
const NO_SHUTDOWN = {
  id: "SIGNAL-3",
  when: ["no-exit"],
  reason: "the target does not stop on the signal, so what its shutdown does to requests cannot be seen",
} as const;

export const REQUIREMENTS = {
  "SPAWN-1": {
    level: "MUST",
    area: "SPAWN",
    text: "On Linux, starting with workers = N (N > 1) gives exactly N live worker processes below the primary, with distinct pids, within the start timeout; no process serves beside its own workers.",
    source: { quote: "With `workers=4`, BustAPI spawns 4 worker processes that share the same port." },
    observed:
      "The processes of the launch and their roles (see 'Process roles'): workers are the processes below the primary that hold a LISTEN socket on the port or accept its connections; helpers and launchers are not counted. Checked for N = 2 and N = 4 once the start has settled (see 'A start has settled'): N workers serve, or with fewer the launch has stopped changing, within the start timeout. A process that listens while a descendant listens on a socket of its own fails.",
  },
  "SPAWN-2": {
    level: "MUST",
    area: "SPAWN",
    text: "Before serving, the implementation prints a start line that announces the worker count and the SO_REUSEPORT mode.",
    source: { quote: "🚀 Starting 4 worker processes (Linux SO_REUSEPORT)..." },
    observed:
      "A line of stdout or stderr matching `Starting N worker processes (Linux SO_REUSEPORT)` with N the requested count, anywhere in the line (see Console lines), in everything printed until the target exits.",
  },
  "PORT-1": {
    level: "MUST",
    area: "PORT",
    text: "Each worker listens on host:port with its own socket: there is one LISTEN socket per worker, each held by exactly one worker, no two held by the same worker.",
    source: { quote: "Each child binds to the same port with `SO_REUSEPORT`" },
    observed:
      "LISTEN rows for the port in /proc/net/tcp and /proc/net/tcp6, and the pids whose /proc/PID/fd link to each socket's inode. A socket held by several processes is reported with all of them; a socket held by the primary or by a process outside the launch fails too.",
  },
  "PORT-2": {
    level: "MUST",
    area: "PORT",
    text: "The primary (the started process, or the process below its launchers) holds no listening socket on the port: the kernel, not the parent, hands connections to the workers.",
    source: { quote: "Linux kernel distributes incoming connections across workers" },
    observed:
      "No LISTEN socket on the port is held by the primary (same probe as PORT-1; see 'Process roles').",
  },
  "DIST-1": {
    level: "MUST",
    area: "DIST",
    text: "Fresh connections are spread over every worker: out of 400 connections, each of the N requested workers accepts at least a quarter of its fair share (400 / N / 4).",
    source: { quote: "Linux kernel distributes incoming connections across workers" },
    observed:
      "400 requests, each on a fresh connection closed once answered; for each, the pid that accepted it, seen before the request is sent (see 'Who accepted a connection'). A missing worker counts as 0. Counts per worker and the connections not attributed are reported; a worker fails only if it stays under the bound with every unattributed connection counted as its own, and when too few were attributed to tell, the verdict is an error that says so, not a failure.",
    dependsOn: [WORKERS_UNSEEN],
  },
  "HTTP-1": {
    level: "MUST",
    area: "HTTP",
    text: "Every declared route (`root`, `json`) answers GET with 200, on every connection and from every worker.",
    source: { quote: '@app.route("/") def hello(): return {"message": "Hello, World!"}' },
    observed:
      "Requests on fresh connections until each worker has answered each route (attributed through /proc). Every answer counts, attributed or not: a non-200 status, a reset or a connection closed without a response fails. A worker never seen answering fails it only when every 200 was attributed; otherwise the verdict is an error naming the answers the kit could not attribute.",
    dependsOn: [WORKERS_UNSEEN],
  },
  "HTTP-2": {
    level: "MUST",
    area: "HTTP",
    text: "The `json` route's body is valid JSON sent as application/json; the `root` route's Content-Type matches its body (JSON as application/json, anything else as text/*).",
    source: { quote: "| Workers | RPS (Root) | RPS (JSON) |" },
    observed: "Content-Type header and body of the route responses.",
  },
  "HTTP-3": {
    level: "SHOULD",
    area: "HTTP",
    text: "A path no route declares answers 404.",
    source: {
      notInSource:
        "Any HTTP framework does this; a server that answers 200 to everything would pass HTTP-1 vacuously.",
    },
    observed: "GET of a random unknown path.",
  },
  "HTTP-4": {
    level: "SHOULD",
    area: "HTTP",
    text: "The contract's routes (`root`, `json`) answer with the same status, content type and body in every mode the manifest can start: 1 worker, N workers (from every worker), debug, and each fallback platform; fields the manifest names in `differsByDesign` (a pid, a timestamp) may differ.",
    source: {
      notInSource:
        "An implementation that answers differently with 1 worker, N workers, in debug or in the fallback has a bug users meet only in production: state built before the fork, a handler that reads a per-process global.",
    },
    observed:
      "Each mode started in turn: workers = 1; workers = 2, with requests on fresh connections until each worker has answered each route (attributed through /proc); the manifest's debugArgs; each fallback platform through its platformEnv. Each answer is reduced to its status, the media type of its Content-Type and its body (JSON compared as values, with the manifest's differsByDesign JSON pointers removed) and compared with the 1-worker answer; a difference is shown with the first differing bytes marked in both.",
    dependsOn: [WORKERS_UNSEEN],
  },
  "SIGNAL-1": {
    level: "MUST",
    area: "SIGNAL",
    text: "On SIGINT and on SIGTERM sent to the started process, it prints the shutdown line.",
    source: { quote: "🛑 Shutting down workers..." },
    observed: "A line matching `Shutting down workers` after the signal, checked once per signal.",
  },
  "SIGNAL-2": {
    level: "MUST",
    area: "SIGNAL",
    text: "After SIGINT or SIGTERM, every worker and the started process are gone within the stop timeout, no descendant survives, and nothing listens on the port any more.",
    source: { quote: "All workers receive termination signals and exit cleanly." },
    observed:
      "Every process of the launch: those recorded below the started process (with their start times, against pid reuse) and those carrying the launch's tag in their environment (which finds processes that double-forked, left the session, or were started after the signal); each survivor is named. LISTEN rows for the port.",
  },
  "SIGNAL-3": {
    level: "MUST",
    area: "SIGNAL",
    text: "After SIGINT or SIGTERM the started process exits with code 0, not by the signal.",
    source: { quote: "BustAPI handles `SIGINT` (Ctrl+C) and `SIGTERM` gracefully" },
    observed: "The exit status of the started process.",
  },
  "SIGNAL-4": {
    level: "MUST",
    area: "SIGNAL",
    text: "A request in flight when the signal arrives (a worker has accepted its connection and read its first bytes; for a server that answers on its first read, a connection it has accepted and waits to read) is completed with 200, and then the implementation exits.",
    source: { quote: "Signal handlers gracefully shut down all workers on `Ctrl+C`" },
    observed:
      "A fresh connection is opened and, once a worker has accepted it (seen in /proc before any byte is sent, see 'Who accepted a connection'), the request line and a header are sent and the kit waits until the worker has read them (its receive queue is empty); then the signal, and once the shutdown line is seen, the rest of the request. Its response must be 200, and the started process must exit within the stop timeout. A server that answers the partial request at once answers on its first read: the kit then opens another connection, waits until it is accepted, sends the signal, and sends the whole request after it. A request begun on a keep-alive connection that already served one is a race HTTP lets a server settle by closing the idle connection: SIGNAL-5 counts that case.",
    dependsOn: [NO_SHUTDOWN],
  },
  "SIGNAL-5": {
    level: "SHOULD",
    area: "SIGNAL",
    text: "Under load, SIGTERM loses no request sent on a connection accepted before the signal: each is answered (the server may close the connection after it), none is reset or closed without a response; and the implementation exits.",
    source: { quote: "BustAPI handles `SIGINT` (Ctrl+C) and `SIGTERM` gracefully" },
    observed:
      "50 keep-alive connections, each sending its next request as soon as the previous one is answered (a new connection where the server said it would close), SIGTERM after 0.5 s; the load ends 0.3 s after the started process exits (at most 3 s in all). Requests are counted by whether their connection was accepted before the signal; the started process must exit within the stop timeout. A request reset or closed unanswered on a connection that had served one, which the kit may have sent 100 ms or more after the previous answer reached it (its own loop was slow on a busy host: bounded from the loop's turns, see keepalive-load.ts), decides nothing: HTTP lets a server close a connection idle that long, and a server that drops busy connections loses it too. A run whose only losses are such requests is followed by another, 3 runs at most; if all 3 are such, SIGNAL-5 is not judged. Each lost request is kept with its bound. The drain time (signal to exit) and net.ipv4.tcp_migrate_req are reported. Connections refused or reset after the signal are reported apart: see 'Connections waiting in the accept queue'.",
    dependsOn: [NO_SHUTDOWN],
  },
  "SIGNAL-6": {
    level: "SHOULD",
    area: "SIGNAL",
    text: "A shutdown loses no request on a connection the kernel accepted: each is answered, or refused before it is accepted.",
    source: {
      notInSource:
        "The source promises a graceful shutdown; what a deploy silently drops is the figure platform engineers ask for.",
    },
    observed:
      "Fresh connections at 2,000 per second, each with one request (Connection: close), sent on schedule whether or not earlier ones were answered; the signal 0.3 s in, the load until 0.2 s after the started process has exited and no LISTEN socket is left on the port (the stop timeout after the signal at most): connections offered once every listener is closed are refused whatever the server does, while a listener that outlives the started process (workers that drain after their primary exits, a launcher that dies first) can still reset what is queued on it; up to 3 runs per signal, 2 workers (the instances of every run started together before the first), stopping at the first run that loses a request (which decides the verdict; the summary says how many runs were made), and a failure at SIGINT leaves SIGTERM not run (reported so). Each request is counted as answered, refused (never accepted: the client knows), lost (connected, then reset or closed unanswered) or timed out. Reported per run, with the accept-queue depth just before the signal and the ListenDrops and TCPMigrateReq counters of /proc/net/netstat. A run whose listeners outlive the stop timeout ends the runs; not judged when SIGNAL-2 found processes or listeners left after the stop.",
    dependsOn: [NO_SHUTDOWN, STOP_UNFINISHED],
  },
  "PLATFORM-1": {
    level: "MUST",
    area: "PLATFORM",
    text: "On macOS and on Windows, the implementation prints that it starts in single process mode on that platform, and that multi-worker mode requires SO_REUSEPORT (Linux only).",
    source: { quote: "[BustAPI] Starting server on macOS (single process mode)..." },
    observed:
      "Both lines, naming the platform, with the platform set through the manifest's platformEnv (or on a real macOS/Windows host). Checked for darwin and win32.",
  },
  "PLATFORM-2": {
    level: "MUST",
    area: "PLATFORM",
    text: "On macOS and on Windows exactly one process serves, whatever `workers` says, and requests are answered.",
    source: {
      quote:
        "On macOS and Windows, `workers` parameter is still respected but uses Actix-web's internal thread pool",
    },
    observed:
      "workers = 4: exactly one serving process (helpers and launchers may run beside it), holding every LISTEN socket on the port; GET root answers 200.",
  },
  "PLATFORM-3": {
    level: "MUST",
    area: "PLATFORM",
    text: "On Linux, neither fallback line is printed.",
    source: {
      quote: "| 🐧 **Linux** | Multiprocessing | **100,000+ RPS** | `SO_REUSEPORT` kernel load balancing |",
    },
    observed: "The console output of a Linux start with workers = 2.",
  },
  "DEBUG-1": {
    level: "MUST",
    area: "DEBUG",
    text: "In debug mode the implementation serves from one process, whatever `workers` says.",
    source: { quote: "`debug=True` ignores `workers`" },
    observed:
      "Started with the manifest's debugArgs and workers = 4: exactly one serving process (helpers and launchers may run beside it), holding every LISTEN socket on the port; GET root answers 200.",
  },
  "INPUT-1": {
    level: "SHOULD",
    area: "INPUT",
    text: "An invalid worker count (0, -1, `abc`) is refused with a clear error and a non-zero exit, leaving nothing running.",
    source: {
      notInSource:
        "The source gives no rule; a server that aborts, prints a traceback or forks zero workers fails its operator.",
    },
    observed:
      "Exit status within the start timeout, decided sooner when the ready path answers 200 or the launch is still running 3 times as long after start as a valid start takes to be ready (see 'Bad input that was accepted'); the output names `workers` and holds no stack trace; no process of the launch's group survives. The three values are tried side by side.",
  },
  "INPUT-2": {
    level: "SHOULD",
    area: "INPUT",
    text: "A port held by another program (one that did not set SO_REUSEPORT) is refused with a clear error and a non-zero exit, leaving nothing running.",
    source: {
      notInSource:
        "The source gives no rule; each child failing on its own, with a traceback each, is what users meet otherwise.",
    },
    observed:
      "The harness holds the port with a plain listener; then as INPUT-1 (no ready path: the port answers for the other program), the output naming the port or `address`, and 10 s at least before a launch still running is taken not to refuse (some servers retry a busy port for a few seconds).",
  },
  "RESPAWN-1": {
    level: "SHOULD",
    area: "RESPAWN",
    text: "A worker that dies unexpectedly is replaced, so that N workers listen again within the start timeout; the port keeps answering meanwhile.",
    source: {
      notInSource:
        "The source is silent. Without it, one crash silently removes 1/N of the capacity for good.",
    },
    observed:
      "One worker is killed with SIGKILL; then the process tree, the LISTEN sockets and GET root, polled until N workers serve again, the start timeout at most; no replacement is coming once the started process has exited or the launch has not changed for 5 s since the killed worker was gone (see 'A replacement that is not coming').",
    dependsOn: [WORKERS_UNSEEN],
  },
  "RESPAWN-2": {
    level: "SHOULD",
    area: "RESPAWN",
    text: "Under load, a worker killed with SIGKILL costs only the requests on its own connections: N workers listen again within the start timeout, and new connections keep being answered meanwhile.",
    source: { notInSource: "The source is silent. A crash under load is when a respawn matters." },
    observed:
      "50 keep-alive connections at workers = 2; one worker is killed after 0.5 s; the load ends 0.3 s after 2 workers serve again (at most 3 s in all). New connections are judged from the moment the killed worker is gone (the kernel has closed its files): one opened in the instant before can be queued on its listening socket and reset with it, whatever the server does, and is reported apart. Reported: requests lost on the dead worker's connections, those lost in that instant, requests answered after the kill, the time until 2 workers listen again. The wait for the replacement goes on beside the other checks, decided as for RESPAWN-1.",
    dependsOn: [WORKERS_UNSEEN],
  },
  "GROUP-1": {
    level: "MUST",
    area: "GROUP",
    text: "SIGINT sent to every process of the started process's group at once, as a terminal's Ctrl+C sends it, stops the implementation as SIGINT to the started process does: a request in flight completes with 200, the started process exits 0, it prints the shutdown line, and every process is gone and the port free within the stop timeout.",
    source: { quote: "Signal handlers gracefully shut down all workers on `Ctrl+C`" },
    observed:
      "workers = 2; a request in flight (as SIGNAL-4 opens it); SIGINT to the process group (`kill -INT -PGID`: the kit starts each target in a group of its own, as a shell does for a foreground job); then as SIGNAL-4, SIGNAL-3, SIGNAL-1 and SIGNAL-2, each finding naming the event.",
  },
  "GROUP-2": {
    level: "SHOULD",
    area: "GROUP",
    text: "SIGTERM sent to every process of the started process's group at once stops it as SIGTERM to the started process does (the request in flight, exit code 0, the shutdown line, nothing left).",
    source: { quote: "BustAPI handles `SIGINT` (Ctrl+C) and `SIGTERM` gracefully" },
    observed: "As GROUP-1, with SIGTERM to the process group (`kill -TERM -PGID`).",
  },
  "SERVICE-1": {
    level: "SHOULD",
    area: "SERVICE",
    text: "SIGTERM sent to every process of the launch at once, as `systemctl stop` sends it (KillMode=control-group), stops it as SIGTERM to the started process does (the request in flight, exit code 0, the shutdown line, nothing left).",
    source: { quote: "BustAPI handles `SIGINT` (Ctrl+C) and `SIGTERM` gracefully" },
    observed:
      "As GROUP-1, with SIGTERM to every process in one pass: the members of a cgroup v2 the kit makes for the launch where the host lets it (root), else every process carrying the launch's tag; the evidence says which.",
  },
  "ORPHAN-1": {
    level: "SHOULD",
    area: "ORPHAN",
    text: "When the primary is killed (SIGKILL), every worker stops serving and exits within the stop timeout: no orphan keeps the port, where SO_REUSEPORT would let it serve beside the next instance.",
    source: {
      notInSource:
        "The source is silent. Production kills primaries (an out-of-memory kill, a crash); workers that survive it keep old code answering on the port.",
    },
    observed:
      "workers = 2; SIGKILL to the primary; every process of the launch and the LISTEN sockets, polled until the stop timeout. Each survivor is named with its role, and whether the port still answered.",
  },
  "ORPHAN-2": {
    level: "SHOULD",
    area: "ORPHAN",
    text: "A request in flight on a worker when its primary is killed (SIGKILL) completes with 200.",
    source: {
      notInSource:
        "The source is silent. A worker that stops at once when its primary dies cuts what it was serving.",
    },
    observed:
      "workers = 2; a request in flight (as SIGNAL-4 opens it); SIGKILL to the primary; 200 ms later the rest of the request; its response must be 200.",
  },
  "HANG-1": {
    level: "SHOULD",
    area: "HANG",
    text: "A worker that stops answering (stopped, or stuck in a loop) is replaced within the manifest's hangTimeoutMs (default 10 s): its SO_REUSEPORT socket keeps getting a share of new connections, which wait unanswered until it is.",
    source: {
      notInSource:
        "The source is silent. The kernel keeps handing a hung worker its share of connections; only its replacement bounds what that costs.",
    },
    observed:
      "workers = 2; one worker is stopped with SIGSTOP (it keeps its socket, and the kernel its share); then the processes are polled until it is gone and 2 workers serve again, within hangTimeoutMs; SIGCONT if it is still there. Reported: how long until it was replaced, and how many of 20 new connections meanwhile hung for over a second.",
    dependsOn: [WORKERS_UNSEEN],
  },
  "SECURITY-1": {
    level: "INFO",
    area: "SECURITY",
    text: "Whether another process of the same user can join the port's SO_REUSEPORT group and receive a share of the connections.",
    source: {
      notInSource:
        "A property of SO_REUSEPORT that every operator of such a server should know (see SPEC.md).",
    },
    observed:
      "The harness binds its own SO_REUSEPORT socket on host:port beside the target's, then opens 200 fresh connections and counts those its socket accepted.",
  },
  "INFO-1": {
    level: "INFO",
    area: "INFO",
    text: "Resident memory of each worker, at rest after start.",
    source: { quote: "Monitor memory - each worker uses ~25-40MB" },
    observed: "VmRSS of each worker in /proc/PID/status.",
  },
  "INFO-2": {
    level: "INFO",
    area: "INFO",
    text: "Time from launch until every worker listens and the ready path answers.",
    source: { notInSource: "Start-up time matters to anyone who restarts or scales the server." },
    observed: "Monotonic time from spawn to the first 200 on readyPath with N LISTEN sockets.",
  },
} as const satisfies Record<string, Requirement>;

export type RequirementId = keyof typeof REQUIREMENTS;

/** Ids that were published and then withdrawn: never reuse them. */
export const RETIRED: readonly string[] = [];

export const REQUIREMENT_IDS = Object.keys(REQUIREMENTS) as RequirementId[];
