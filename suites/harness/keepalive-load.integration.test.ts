import { afterEach, describe, expect, it } from "vitest";
import { startReference } from "../../reference-server/test/start-reference.ts";
import type { Launched } from "../../targets/launch.ts";
import { KIT_LATE_MS, keepAliveLoad } from "./keepalive-load.ts";

/**
 * The kit's own lateness, made on purpose: the load generator's loop is blocked for much longer than
 * the reference waits before closing an idle keep-alive connection at shutdown (250 ms, after the worker
 * has the signal: the block leaves it more than a second for that). Answers written
 * before the signal wait unread meanwhile; the requests the kit then sends on those connections meet
 * connections the reference closed as idle, within HTTP. They must be set apart, not counted as the
 * server's losses (a starved CI host did this by accident: 19 such losses failed SIGNAL-5 once).
 */
const BLOCK_MS = 1_500;

let started: Launched | undefined;
afterEach(async () => {
  await started?.reap();
  started = undefined;
});

describe("the keep-alive load on a starved kit", () => {
  it("sets apart requests it sent late on connections the server closed idle", async () => {
    const { proc, port } = await startReference(["--host", "127.0.0.1", "--workers", "2"]);
    started = proc;
    const tally = await keepAliveLoad({
      host: "127.0.0.1",
      port,
      path: "/",
      connections: 50,
      durationMs: 4_000,
      eventAtMs: 500,
      event: () => {
        proc.signal("SIGTERM");
        const until = performance.now() + BLOCK_MS;
        while (performance.now() < until) {
          // the kit's loop held, as a starved host holds it
        }
      },
      settled: () => proc.exit,
      tailMs: 300,
    });
    // Every loss of a request sent promptly would be the server's: there is none.
    expect(tally.lostOnAcceptedConnections).toBe(0);
    expect(tally.timeouts).toBe(0);
    // What the block caused: late requests on idle-closed connections, each with its idle bound.
    expect(tally.lostAfterKitDelay).toBeGreaterThan(0);
    const late = tally.lost.filter((loss) => loss.counted === "kitLate");
    expect(late.length).toBeGreaterThan(0);
    for (const loss of late) expect(loss.idleBoundMs).toBeGreaterThanOrEqual(KIT_LATE_MS);
  });
});
