import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { connect, createServer, type Server, type Socket } from "node:net";
import { createInterface } from "node:readline";
import { afterEach, expect, test } from "vitest";
import { sleep } from "../sleep.ts";
import type { TcpRow } from "./proc-parse.ts";
import { establishedOn, portRowsByProc, portRowsBySs } from "./sock-diag.ts";

const open: Array<Server | Socket> = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const item of open.splice(0)) {
    if ("destroy" in item) item.destroy();
    else item.close();
  }
});

async function listening(host: string): Promise<{ server: Server; port: number; accepted: Socket[] }> {
  const accepted: Socket[] = [];
  // allowHalfOpen: the server does not end its side when a client ends its own (CLOSE_WAIT stays).
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    accepted.push(socket);
    open.push(socket);
  });
  open.push(server);
  server.listen(0, host);
  await once(server, "listening");
  return { server, port: (server.address() as { port: number }).port, accepted };
}

async function connected(port: number, host: string): Promise<Socket> {
  // allowHalfOpen: a server that ends its side leaves this one open (the server side in FIN_WAIT2).
  const socket = connect({ port, host, allowHalfOpen: true });
  open.push(socket);
  await once(socket, "connect");
  return socket;
}

const sorted = (rows: readonly TcpRow[]) =>
  [...rows].sort((a, b) => a.state.localeCompare(b.state) || a.remotePort - b.remotePort);

/** /proc's rows of the port once their states are `states` (or as they are after 10 s, for the diff). */
async function settled(port: number, states: string[]): Promise<TcpRow[]> {
  const want = [...states].sort();
  const deadline = performance.now() + 10_000;
  for (;;) {
    const rows = await portRowsByProc(port);
    const have = rows.map((row) => row.state).sort();
    if (have.join() === want.join() || performance.now() > deadline) {
      expect(have).toEqual(want);
      return rows;
    }
    await sleep(5);
  }
}

/**
 * A server that leaves one socket of its port in each state a server's side goes through: it accepts
 * four connections, ends its side of the third (FIN_WAIT2), closes the fourth (TIME_WAIT once the
 * client closes too), and accepts nothing more (a fifth connection waits in its accept queue).
 */
const STATES_SERVER = `
import socket, sys
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(16)
print(listener.getsockname()[1], flush=True)
accepted = [listener.accept()[0] for _ in range(4)]
accepted[2].shutdown(socket.SHUT_WR)
accepted[3].close()
print("ready", flush=True)
sys.stdin.read()
`;

test("ss and /proc give the same rows for a port in every state a server's side goes through", async () => {
  const child = spawn("python3", ["-c", STATES_SERVER], { stdio: ["pipe", "pipe", "inherit"] });
  children.push(child);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const port = Number((await lines.next()).value);
  const [queued, halfClosed, , timeWait] = [
    await connected(port, "127.0.0.1"),
    await connected(port, "127.0.0.1"),
    await connected(port, "127.0.0.1"),
    await connected(port, "127.0.0.1"),
  ];
  expect((await lines.next()).value).toBe("ready");
  queued?.write("bytes the server has not read");
  halfClosed?.end(); // the server's side: CLOSE_WAIT
  timeWait?.destroy(); // after the server's close: the server's side in TIME_WAIT, left out by both
  await connected(port, "127.0.0.1"); // never accepted: held by no process (inode 0)
  const rows = await settled(port, ["LISTEN", "ESTABLISHED", "ESTABLISHED", "CLOSE_WAIT", "FIN_WAIT2"]);
  expect(rows.find((row) => row.state === "ESTABLISHED" && row.rxQueue > 0)?.rxQueue).toBe(29);
  expect(rows.filter((row) => row.state === "ESTABLISHED" && row.inode === 0)).toHaveLength(1);
  expect(rows.find((row) => row.state === "LISTEN")?.rxQueue).toBe(1);

  const bySs = await portRowsBySs(port);
  expect(sorted(bySs ?? [])).toEqual(sorted(await portRowsByProc(port)));
  expect(await establishedOn(port)).toBe(2);
});

test("an IPv6 listener and its connection read the same both ways", async () => {
  const { port } = await listening("::1");
  await connected(port, "::1");
  const rows = await settled(port, ["LISTEN", "ESTABLISHED"]);
  expect(rows.map((row) => [row.family, row.localAddress])).toEqual([
    [6, "::1"],
    [6, "::1"],
  ]);
  expect(sorted((await portRowsBySs(port)) ?? [])).toEqual(sorted(await portRowsByProc(port)));
});

test("a port nobody uses has no rows either way", async () => {
  const { server } = await listening("127.0.0.1");
  const port = (server.address() as { port: number }).port;
  server.close();
  await once(server, "close");
  expect(await portRowsBySs(port)).toEqual([]);
  expect(await portRowsByProc(port)).toEqual([]);
});
