/**
 * How a start's time is counted against the manifest's startTimeoutMs: the time on the clock less the
 * time the launch was kept from a CPU by other programs (its run-queue wait, from /proc/PID/schedstat).
 * A start timeout says how long the server may take to start, not how busy the host may be: a start
 * that took 10 s on the clock because it waited 7 s for a CPU (a CI runner shared with other jobs, or
 * the checks the suite runs beside it) has used 3 s of it. A server that sleeps or hangs on its own
 * waits for no CPU and times out on the clock, as before. The wait includes what the launch's own
 * processes cost each other (more workers than cores, all starting at once): the host's size, not the
 * server's speed. START_CLOCK_CAP bounds it all.
 *
 * The launch's wait is its started process's plus the longest of those below it: the started process
 * runs until it has forked, then a worker until it serves; workers start side by side, so their waits
 * overlap and the longest stands for them all.
 */

/** However busy the host, a start is given up after this many times its timeout on the clock. */
export const START_CLOCK_CAP = 3;

/** What a start has used of its timeout: the time on the clock less the time it waited for a CPU. */
export function startTimeUsedMs(wallMs: number, cpuWaitMs: number): number {
  return Math.max(0, wallMs - Math.max(0, cpuWaitMs));
}

/**
 * What is left of the start timeout (0 once it ran out, or once the clock passed START_CLOCK_CAP
 * times it): also the earliest time on the clock it can run out, were the launch never kept waiting again.
 */
export function startTimeLeftMs(wallMs: number, cpuWaitMs: number, timeoutMs: number): number {
  if (wallMs >= START_CLOCK_CAP * timeoutMs) return 0;
  return Math.max(0, timeoutMs - startTimeUsedMs(wallMs, cpuWaitMs));
}

/** The launch's wait for a CPU from each process's own (pid -> ms): the started one's plus the longest below it. */
export function launchCpuWaitMs(started: number, waits: ReadonlyMap<number, number>): number {
  let below = 0;
  for (const [pid, waited] of waits) if (pid !== started) below = Math.max(below, waited);
  return (waits.get(started) ?? 0) + below;
}
