import { RawConnection, willClose } from "../../common/raw-http.ts";
import { sleep } from "../../common/sleep.ts";
import type { Instance } from "../../targets/instance.ts";
import { idleBoundMs, LoopWatch } from "./loop-watch.ts";

/**
 * The load of the under-load checks (SIGNAL-5, RESPAWN-2), as SPEC.md describes it: at most
 * `durationMs`, ended `tailMs` after what the check waits for (the exit, the replacement) is seen.
 * The event 0.5 s in: by then the 50 connections are open and each has been answered many times (the
 * reference answers some 15,000 requests a second on 2 CPUs); the 1 s it was only added its half second
 * to every run, at a time when the load keeps both CPUs busy.
 */
export const UNDER_LOAD = { connections: 50, durationMs: 3_000, eventAtMs: 500, tailMs: 300 } as const;

/**
 * A request the kit sent on a keep-alive connection that may have sat idle this long (its own loop was
 * slow to read the previous answer, or to send) is not "sent as soon as the previous one is answered":
 * HTTP lets a server close a connection idle that long, and clients retry such a request. Its loss is
 * reported apart and decides nothing (a server that drops busy connections loses such requests too).
 * Well above the kit's own turn on an idle host (a few ms), and below the idle grace of servers that
 * wait before closing idle connections at shutdown.
 */
export const KIT_LATE_MS = 100;

/** A lost request, for the evidence: when it was sent and how long its connection may have sat idle before. */
export interface LostRequest {
  /** ms from the event (negative: before it). */
  sentMs: number;
  /** Upper bound of the server-side idle time before it (null: the connection's first request). */
  idleBoundMs: number | null;
  /** Where it was counted. */
  counted: "accepted" | "eventWindow" | "new" | "timeout" | "kitLate";
}

/** At most this many lost requests are kept in the evidence (the counts cover them all). */
const LOST_KEPT = 50;

export interface LoadTally {
  connectionsOpened: number;
  requestsSent: number;
  ok: number;
  non200: number;
  /** Requests on connections accepted before the event that were reset or closed without a response. */
  lostOnAcceptedConnections: number;
  /** The same, on connections opened after the event was over (see `eventOver`). */
  lostOnNewConnections: number;
  /**
   * The same, on connections opened after the event but before it was over: a SIGKILLed process
   * keeps its listening socket in the kernel's rotation until the kernel has closed its files, and
   * a connection queued there in that instant is reset with it, whatever the server does.
   */
  lostInEventWindow: number;
  timeouts: number;
  /**
   * Requests reset or closed unanswered on a connection accepted before the event that had served one,
   * which the kit may have sent KIT_LATE_MS or more after the previous answer arrived: not counted in
   * the three above.
   */
  lostAfterKitDelay: number;
  /** The lost requests (the first LOST_KEPT), each with its idle bound. */
  lost: LostRequest[];
  /** Connection attempts after the event that were refused or reset before a request. */
  refusedAfterEvent: number;
  okAfterEvent: number;
  /** Connections the server ended politely (Connection: close) after the event. */
  closedPolitelyAfterEvent: number;
}

/**
 * A bounded keep-alive load written for what autocannon does not report: for
 * each request, whether its connection was accepted before an event (a signal,
 * a killed worker), and whether it was answered. The client is well behaved: it
 * never reuses a connection the server said it would close (`Connection: close`,
 * HTTP/1.0 without keep-alive, a body ended by the close), and opens a new one.
 */
export async function keepAliveLoad(options: {
  host: string;
  port: number;
  path: string;
  connections: number;
  durationMs: number;
  eventAtMs: number;
  event: () => void;
  /**
   * What the check waits for after the event (the exit, a replacement): once it settles, the load
   * goes on for `tailMs` (to see how later connections fare) and ends, rather than running out its
   * full duration against a server that has long finished.
   */
  settled?: () => Promise<unknown> | undefined;
  /** When the event's own effect is over (a killed process gone); without it, at the event. */
  eventOver?: () => Promise<unknown>;
  tailMs?: number;
  requestTimeoutMs?: number;
}): Promise<LoadTally> {
  const tally: LoadTally = {
    connectionsOpened: 0,
    requestsSent: 0,
    ok: 0,
    non200: 0,
    lostOnAcceptedConnections: 0,
    lostOnNewConnections: 0,
    lostInEventWindow: 0,
    timeouts: 0,
    lostAfterKitDelay: 0,
    lost: [],
    refusedAfterEvent: 0,
    okAfterEvent: 0,
    closedPolitelyAfterEvent: 0,
  };
  const started = performance.now();
  const loop = new LoopWatch();
  let eventAt: number | undefined;
  let end = started + options.durationMs;
  let happened = false;
  let over = false;
  const timer = setTimeout(() => {
    happened = true;
    eventAt = performance.now();
    options.event();
    // A watch that fails is no unhandled rejection: the event counts as over (new connections are
    // judged), and the load runs its full duration.
    if (options.eventOver) {
      void options
        .eventOver()
        .catch(() => undefined)
        .then(() => {
          over = true;
        });
    } else {
      over = true;
    }
    void options.settled?.()?.then(
      () => {
        end = Math.min(end, performance.now() + (options.tailMs ?? 0));
      },
      () => undefined,
    );
  }, options.eventAtMs);
  const request = `GET ${options.path} HTTP/1.1\r\nHost: ${options.host}\r\n\r\n`;

  const worker = async () => {
    let connection: RawConnection | undefined;
    let openedBeforeEvent = false;
    let openedBeforeOver = false;
    let previous: { sentAt: number; loopTurnBeforeRead: number } | undefined;
    while (performance.now() < end) {
      if (!connection) {
        const before = !happened;
        const beforeOver = !over;
        connection = await RawConnection.open(options.host, options.port, 2_000).catch(() => undefined);
        if (!connection) {
          if (!before) tally.refusedAfterEvent++;
          await sleep(20);
          continue;
        }
        openedBeforeEvent = before;
        openedBeforeOver = beforeOver;
        previous = undefined;
        tally.connectionsOpened++;
      }
      const sentAt = performance.now();
      connection.send(request);
      tally.requestsSent++;
      const result = await connection.readResponse(options.requestTimeoutMs ?? 5_000);
      if (result.kind === "response") {
        previous = { sentAt, loopTurnBeforeRead: loop.arrivedNoEarlierThan() };
        if (result.response.status === 200) tally.ok++;
        else tally.non200++;
        if (happened) tally.okAfterEvent++;
        if (willClose(result.response)) {
          if (happened) tally.closedPolitelyAfterEvent++;
          connection.close();
          connection = undefined;
        }
        continue;
      }
      const idle = idleBoundMs(sentAt, previous);
      const counted = lossCategory(result.kind === "timeout", idle, openedBeforeEvent, openedBeforeOver);
      if (counted === "timeout") tally.timeouts++;
      else if (counted === "kitLate") tally.lostAfterKitDelay++;
      else if (counted === "accepted") tally.lostOnAcceptedConnections++;
      else if (counted === "eventWindow") tally.lostInEventWindow++;
      else tally.lostOnNewConnections++;
      if (tally.lost.length < LOST_KEPT) {
        tally.lost.push({
          sentMs: Math.round(sentAt - (eventAt ?? started + options.eventAtMs)),
          idleBoundMs: idle === null ? null : Math.round(idle),
          counted,
        });
      }
      connection.close();
      connection = undefined;
    }
    connection?.close();
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  clearTimeout(timer);
  loop.stop();
  return tally;
}

/**
 * Where a lost request counts: a timeout always against the server (nothing closed the connection);
 * on a connection accepted before the event, a reset or close after the kit sent late on an idle
 * connection apart (KIT_LATE_MS: the server may have closed it idle, or dropped it busy; SIGNAL-5 runs
 * again to tell); otherwise by when its connection was opened.
 */
export function lossCategory(
  timedOut: boolean,
  idleBound: number | null,
  openedBeforeEvent: boolean,
  openedBeforeOver: boolean,
): LostRequest["counted"] {
  if (timedOut) return "timeout";
  if (!openedBeforeEvent) return openedBeforeOver ? "eventWindow" : "new";
  return idleBound !== null && idleBound >= KIT_LATE_MS ? "kitLate" : "accepted";
}

/** The under-load checks' load (UNDER_LOAD) on `path` of a started instance, with the check's event. */
export function loadUnder(
  instance: Instance,
  path: string,
  hooks: Pick<Parameters<typeof keepAliveLoad>[0], "event" | "settled" | "eventOver">,
): Promise<LoadTally> {
  return keepAliveLoad({ host: instance.host, port: instance.port, path, ...UNDER_LOAD, ...hooks });
}
