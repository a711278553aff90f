import { sleep } from "../../../common/launch.ts";
import { check } from "../../harness/check.ts";
import { LINES, normalizeLine } from "../../harness/console-lines.ts";
import { HOST } from "../../harness/instance.ts";
import { fail, pass } from "../../harness/outcome.ts";
import { RawConnection } from "../../harness/raw-http.ts";
import { settledWorkers } from "../../harness/settle.ts";
import { SIGNALS } from "./signals.ts";

/** Waited for the shutdown line before completing the request; the check goes on without it. */
const LINE_WAIT_MS = 1_000;
/** After the shutdown began, before the rest of the request is sent. */
const PAUSE_MS = 200;

check(
  "SIGNAL-4",
  { title: "a request in flight completes with 200", needs: ["signals"], cases: SIGNALS },
  async (ctx, signal) => {
    const instance = await ctx.start({ workers: 2 });
    await settledWorkers(instance, 2);
    // The ready path: the target's own cheap 200 (HTTP-1 judges the routes).
    const path = ctx.manifest.readyPath;
    const connection = await keepAliveConnection(HOST, instance.port, path);
    if (!connection) {
      return fail(
        `no connection answered a first request within ${CONNECT_ATTEMPTS} attempts`,
        "a keep-alive connection answering 200 before the signal",
        "none",
      );
    }
    try {
      // The second request begins: request line and a header, not yet the blank line that ends it.
      connection.send(`GET ${path} HTTP/1.1\r\nHost: ${HOST}\r\n`);
      await sleep(100);
      const mark = instance.outputMark();
      const signalledAt = performance.now();
      instance.proc.signal(signal);
      const line = await instance.proc.waitForLine(
        (text) => LINES.shutdown.pattern.test(normalizeLine(text)),
        LINE_WAIT_MS,
        mark,
      );
      await sleep(PAUSE_MS);
      connection.send("\r\n");
      const second = await connection.readResponse(ctx.manifest.stopTimeoutMs);
      ctx.evidence.signal = signal;
      ctx.evidence.shutdownLineSeen = line !== undefined;
      ctx.evidence.completedAfterSignalMs = Math.round(performance.now() - signalledAt);
      ctx.evidence.result =
        second.kind === "response"
          ? { status: second.response.status, headers: second.response.headers }
          : second;
      const expected = `200 for the request begun before ${signal}`;
      if (second.kind === "response" && second.response.status === 200) {
        return pass(`answered 200 ${Math.round(performance.now() - signalledAt)} ms after ${signal}`);
      }
      if (second.kind === "response")
        return fail(`answered ${second.response.status}`, expected, String(second.response.status));
      if (second.kind === "closed")
        return fail("the connection closed without a response", expected, "closed, no response");
      return fail(`no response within ${ctx.manifest.stopTimeoutMs} ms`, expected, "no response");
    } finally {
      connection.close();
    }
  },
);

/** Connections to try for one that answers: SIGNAL-4 judges the drain, not the acceptance (DIST-1, HTTP-1 do). */
const CONNECT_ATTEMPTS = 10;

async function keepAliveConnection(
  host: string,
  port: number,
  path: string,
): Promise<RawConnection | undefined> {
  for (let attempt = 0; attempt < CONNECT_ATTEMPTS; attempt++) {
    const connection = await RawConnection.open(host, port).catch(() => undefined);
    if (!connection) continue;
    connection.send(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    const first = await connection.readResponse(5_000);
    if (first.kind === "response" && first.response.status === 200) return connection;
    connection.close();
  }
  return undefined;
}
