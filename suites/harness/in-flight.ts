import { openAccepted, requestStart, serverHasRead } from "../../common/probes/connections.ts";
import { procAvailable } from "../../common/probes/procfs.ts";
import type { RawConnection } from "../../common/raw-http.ts";
import { HOST, type Instance } from "../../targets/instance.ts";
import type { CheckContext } from "./check.ts";
import { cannotJudge, fail, type Outcome } from "./outcome.ts";

/** Connections to try for one that a worker accepts: the checks judge the drain, not the acceptance. */
const CONNECT_ATTEMPTS = 10;
/** For the server to read the start of the request (a look at /proc, not a fixed wait). */
const READ_WAIT_MS = 2_000;

/** A request in flight: its connection accepted by a worker, and its start read unless the server answers on its first read. */
export interface InFlight {
  connection: RawConnection;
  acceptedBy: number[];
  /** The request's start was sent before the event; otherwise the whole request goes after it. */
  begun: boolean;
  /** The server answered a partial request at once: for it, in flight is accepted and waiting to read. */
  answersOnFirstRead: boolean;
}

/**
 * Opens a request in flight on `instance` (SPEC.md, "A request in flight"): a fresh connection a
 * worker has accepted (seen before any byte is sent), the request line and a header read by it; for a
 * server that answers that at once, a second connection it accepted and waits to read.
 */
export async function openInFlight(
  ctx: Pick<CheckContext, "step" | "evidence">,
  instance: Instance,
  path: string,
): Promise<InFlight | Outcome> {
  const watcher = await instance.acceptWatcher();
  const accepted = async () => {
    for (let attempt = 0; attempt < CONNECT_ATTEMPTS; attempt++) {
      const candidate = await openAccepted(HOST, instance.port, path, watcher).catch(() => undefined);
      if (candidate && (candidate.acceptedBy.length > 0 || !procAvailable())) return candidate;
      candidate?.connection.close();
    }
    return undefined;
  };
  ctx.step("opening a connection and waiting until a worker accepts it");
  const first = await accepted();
  if (!first) {
    return fail(
      `no connection was accepted within ${CONNECT_ATTEMPTS} attempts`,
      "a connection accepted by a worker before the event",
      "none seen accepted in /proc",
    );
  }
  if (!first.begun) first.connection.send(requestStart(HOST, instance.port, path));
  ctx.step("waiting until the worker has read the start of the request");
  await serverHasRead(instance.port, first.connection.localPort, READ_WAIT_MS);
  const early = await first.connection.readResponse(0);
  if (early.kind === "timeout") return { ...first, begun: true, answersOnFirstRead: false };
  first.connection.close();
  ctx.evidence.answersOnFirstRead = true;
  ctx.step("the server answered a partial request: opening a connection it accepts and waits to read");
  const second = await accepted();
  if (!second || second.begun) {
    second?.connection.close();
    return cannotJudge(
      "the server answers on its first read and accepts only once data arrives, so no request can be in flight when the event comes",
    );
  }
  return { ...second, answersOnFirstRead: true };
}

/** Sends what is left of the request: the blank line that ends it, or all of it. */
export function completeRequest(inFlight: InFlight, port: number, path: string): void {
  inFlight.connection.send(inFlight.begun ? "\r\n" : `${requestStart(HOST, port, path)}\r\n`);
}
