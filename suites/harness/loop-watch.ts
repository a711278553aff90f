/**
 * When the load generator's own event loop last ran, for bounding how long a response may have waited
 * unread in the kit's socket. A response read now arrived after the loop's previous turn that came
 * before the latest one (any earlier, and that turn's poll phase would have read it): on a starved host
 * the kit can read an answer hundreds of milliseconds late and send its next request later still, and a
 * server that closes a connection idle that long is within HTTP.
 */
export class LoopWatch {
  #previous = performance.now();
  #latest = this.#previous;
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(tickMs = 5) {
    this.#timer = setInterval(() => {
      this.#previous = this.#latest;
      this.#latest = performance.now();
    }, tickMs);
    this.#timer.unref();
  }

  /** The earliest a response read now can have arrived: the loop's turn before its latest one. */
  arrivedNoEarlierThan(): number {
    return this.#previous;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

/**
 * How long a keep-alive connection may have sat idle on the server's side before the kit sent `sentAt`:
 * from the earliest the previous response can have arrived (not before its request was sent, not before
 * the loop's turn that preceded its read) to this send. An upper bound; null for a connection's first
 * request, which follows no response.
 */
export function idleBoundMs(
  sentAt: number,
  previous: { sentAt: number; loopTurnBeforeRead: number } | undefined,
): number | null {
  if (!previous) return null;
  return Math.max(0, sentAt - Math.max(previous.sentAt, previous.loopTurnBeforeRead));
}
