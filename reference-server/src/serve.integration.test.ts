import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { expect, it } from "vitest";
import { parseTcpTable } from "../../common/probes/proc-parse.ts";
import { handleRequest } from "./handler.ts";
import { quickstartApp } from "./quickstart.ts";
import { listen } from "./serve.ts";

/**
 * A keep-alive client in another process (this one's loop is what the test holds still): one request,
 * then its local port; on a line from stdin, the next request on the same connection; then the second
 * answer's status line, or how the connection ended without one. Every read is bounded (5 s).
 */
const CLIENT = String.raw`
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
request = b"GET /json HTTP/1.1\r\nHost: x\r\n\r\n"
s.sendall(request)
data = b""
while b'{"hello":"world"}' not in data:
    chunk = s.recv(65536)
    if not chunk:
        sys.exit("the first request was not answered")
    data += chunk
print("answered", s.getsockname()[1], flush=True)
sys.stdin.readline()
s.sendall(request)
data = b""
try:
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
except ConnectionResetError:
    print("reset" if not data else data.split(b"\r\n")[0].decode(), flush=True)
    sys.exit(0)
except socket.timeout:
    print("no answer", flush=True)
    sys.exit(0)
print(data.split(b"\r\n")[0].decode() if data else "closed unanswered", flush=True)
`;

// A worker that a busy host keeps from running past the drain's idle sweep finds, when it runs again, the
// sweep's timer due and the next request of a keep-alive connection waiting unread: timers run before
// the loop reads its sockets. Closing that connection as idle resets a request the client sent at once
// (SIGNAL-5 lost 28 so, the reference beside CPU hogs). Here the loop is held by a busy wait.
it("answers a keep-alive request that arrived while its loop was held past the idle sweep", async () => {
  const http = await listen(quickstartApp().routes, handleRequest, {
    host: "127.0.0.1",
    port: 0,
    reusePort: false,
    debug: false,
  });
  const client = spawn("python3", ["-c", CLIENT, String(http.port)], { stdio: ["pipe", "pipe", "inherit"] });
  try {
    const lines = createInterface({ input: client.stdout })[Symbol.asyncIterator]();
    const [said, clientPort] = String((await lines.next()).value).split(" ");
    expect(said).toBe("answered");
    const drained = http.drain(5_000);
    await new Promise<void>((resolve) => client.stdin.write("\n", () => resolve()));
    // Held, as a host that runs other programs holds a worker, until the sweep is due (250 ms after the
    // drain began) and the next request waits unread in the connection's receive queue: however long
    // the client takes to send it. 10 s bounds a client that never does.
    const due = performance.now() + 300;
    const giveUp = performance.now() + 10_000;
    while (performance.now() < due || !requestWaiting(http.port, Number(clientPort))) {
      if (performance.now() > giveUp) throw new Error("the client's second request never reached the server");
    }
    expect((await lines.next()).value).toBe("HTTP/1.1 200 OK");
    expect(await drained).toBe("drained");
  } finally {
    client.kill("SIGKILL");
    http.server.closeAllConnections();
    http.server.close();
  }
});

/** Whether the server's side of the connection from `clientPort` has bytes it has not read. */
function requestWaiting(serverPort: number, clientPort: number): boolean {
  return parseTcpTable(readFileSync("/proc/net/tcp", "utf8"), 4).some(
    (row) => row.localPort === serverPort && row.remotePort === clientPort && row.rxQueue > 0,
  );
}
