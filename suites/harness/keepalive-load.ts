import { RawConnection, willClose } from "../../common/raw-http.ts";
import { sleep } from "../../common/sleep.ts";

/** The load of the under-load checks (SIGNAL-5, RESPAWN-2), as SPEC.md describes it. */
export const UNDER_LOAD = { connections: 50, durationMs: 3_000, eventAtMs: 1_000 } as const;

export interface LoadTally {
  connectionsOpened: number;
  requestsSent: number;
  ok: number;
  non200: number;
  /** Requests on connections accepted before the event that were reset or closed without a response. */
  lostOnAcceptedConnections: number;
  /** The same, on connections opened after the event. */
  lostOnNewConnections: number;
  timeouts: number;
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
  requestTimeoutMs?: number;
}): Promise<LoadTally> {
  const tally: LoadTally = {
    connectionsOpened: 0,
    requestsSent: 0,
    ok: 0,
    non200: 0,
    lostOnAcceptedConnections: 0,
    lostOnNewConnections: 0,
    timeouts: 0,
    refusedAfterEvent: 0,
    okAfterEvent: 0,
    closedPolitelyAfterEvent: 0,
  };
  const started = performance.now();
  const end = started + options.durationMs;
  let happened = false;
  const timer = setTimeout(() => {
    happened = true;
    options.event();
  }, options.eventAtMs);
  const request = `GET ${options.path} HTTP/1.1\r\nHost: ${options.host}\r\n\r\n`;

  const worker = async () => {
    let connection: RawConnection | undefined;
    let openedBeforeEvent = false;
    while (performance.now() < end) {
      if (!connection) {
        const before = !happened;
        connection = await RawConnection.open(options.host, options.port, 2_000).catch(() => undefined);
        if (!connection) {
          if (!before) tally.refusedAfterEvent++;
          await sleep(20);
          continue;
        }
        openedBeforeEvent = before;
        tally.connectionsOpened++;
      }
      connection.send(request);
      tally.requestsSent++;
      const result = await connection.readResponse(options.requestTimeoutMs ?? 5_000);
      if (result.kind === "response") {
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
      if (result.kind === "timeout") tally.timeouts++;
      else if (openedBeforeEvent) tally.lostOnAcceptedConnections++;
      else tally.lostOnNewConnections++;
      connection.close();
      connection = undefined;
    }
    connection?.close();
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  clearTimeout(timer);
  return tally;
}
