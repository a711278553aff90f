import { afterEach, describe, expect, it } from "vitest";
import { launch, reapAll } from "../../targets/launch.ts";
import { RawConnection } from "../raw-http.ts";
import { AcceptWatcher } from "./connections.ts";

afterEach(async () => {
  await reapAll();
});

/** A listener that never accepts: its connections stay queued, present in /proc and never attributed. */
async function neverAccepting(): Promise<number> {
  const code =
    "import socket, time\ns = socket.socket()\ns.bind(('127.0.0.1', 0))\ns.listen(8)\n" +
    "print(s.getsockname()[1], flush=True)\ntime.sleep(600)\n";
  const proc = launch({ command: "python3", args: ["-c", code] });
  const line = await proc.waitForLine(/^\d+$/, 10_000);
  return Number(line?.text);
}

describe("which process accepted a connection", () => {
  it("stops watching a connection once it has ended, not at its deadline", async () => {
    const port = await neverAccepting();
    const watcher = new AcceptWatcher(port);
    const connection = await RawConnection.open("127.0.0.1", port);
    // Queued, never accepted, and still in /proc: only the connection's end can settle the watch before
    // its ten minutes are up (this test's bound is 30 s).
    const watched = watcher.acceptedBy(connection.localPort, 600_000, undefined, connection.closed);
    connection.close();
    expect(await watched).toEqual([]);
  }, 30_000);
});
