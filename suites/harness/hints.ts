/**
 * One line each on the usual cause of a failure and its fix, shown after
 * expected versus actual (console, JSON, JUnit). Written once, used by the checks.
 */
export const HINTS = {
  sharedListener:
    "your workers inherit the parent's socket; bind one with SO_REUSEPORT in each worker (after the fork)",
  handedOver:
    "your workers accept connections handed over by the primary (round-robin); bind one socket with SO_REUSEPORT in each worker",
  primaryListens:
    "the primary binds the port itself; only the workers should bind it, each with its own SO_REUSEPORT socket",
  nested:
    "a process serves beside its own children: bind the port in the workers only, each with SO_REUSEPORT",
  missingWorkers:
    "a process that never holds a socket on the port nor accepts a connection is counted as a helper, not a worker: check that every worker binds within startTimeoutMs (raise it in the manifest for a slow start)",
  fewConnections:
    "a worker that closes its socket, binds late or accepts slowly gets a small share: each worker should keep its SO_REUSEPORT socket open and accept continuously",
  bufferedOutput:
    "print the line, and flush it: output to a pipe is block-buffered (Python: print(..., flush=True) or PYTHONUNBUFFERED=1; C: fflush)",
  noExit:
    "the started process did not exit on the signal: handle SIGINT and SIGTERM in it (a launcher such as sh -c must exec the server or pass signals on)",
  launcherDied:
    "the launcher died of the signal without passing it on: start the server with exec (or a launcher that forwards signals, such as timeout or npm)",
  survivors:
    "signal every worker and wait for it before exiting; workers should also exit when the parent dies (PR_SET_PDEATHSIG, or a pipe from the parent)",
  exitCode:
    "after a clean shutdown, exit with 0 rather than re-raising the signal or exiting with an error code",
  droppedInFlight:
    "a connection whose request had begun was closed: stop accepting, then finish every request already read before exiting (SIGKILL or os._exit does not)",
  queuedAtClose:
    "connections the kernel had queued on a listener were reset when it closed: keep accepting until the listener is closed (accept what is queued, then close), or close the workers' listeners one at a time with net.ipv4.tcp_migrate_req=1, which moves a closing listener's queue to a listener still open",
  ctrlC:
    "a terminal's Ctrl+C reaches every process of the group at once: workers that keep the default SIGINT handler stop mid-request (Python prints KeyboardInterrupt); ignore SIGINT in the workers and let the primary stop them",
  termToAll:
    "SIGTERM reaches every process at once (a process group, or systemd stopping a service): a worker must start draining on the first SIGTERM and ignore the copy its primary forwards, not die of the second",
  orphans:
    "a worker must notice that its primary died (PR_SET_PDEATHSIG, a pipe or IPC channel from the primary that closes, or a watch on getppid()) and drain and exit: an orphan keeps old code in the port's SO_REUSEPORT group beside the next instance",
  orphanCut:
    "a worker whose primary died stops at once: drain first (stop accepting, finish what is in flight), then exit",
  hung: "have the primary ask each worker whether it still runs (a ping over a pipe or IPC, answered from its event loop) and replace one that stays silent: the kernel keeps handing a hung worker its share of new connections",
  forkedAnyway:
    "in this mode serve from the started process (or one process below a launcher) and fork no workers",
} as const;
