import { once } from "node:events";
import { connect, createServer, type Server, type Socket } from "node:net";
import { afterEach, expect, test } from "vitest";
import { sleep } from "../sleep.ts";
import { establishedOn as establishedOnProc } from "./procfs.ts";
import { establishedBySs, establishedOn } from "./sock-diag.ts";

const open: Array<Server | Socket> = [];
afterEach(() => {
  for (const item of open.splice(0)) {
    if ("destroy" in item) item.destroy();
    else item.close();
  }
});

async function connected(port: number): Promise<Socket> {
  const socket = connect(port, "127.0.0.1");
  open.push(socket);
  await once(socket, "connect");
  return socket;
}

test("counts the established connections of a port, not one a client has half-closed", async () => {
  const accepted: Socket[] = [];
  // allowHalfOpen: the server never ends its side, so a client that ends its own leaves this one in
  // CLOSE_WAIT.
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    accepted.push(socket);
    open.push(socket);
  });
  open.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;

  await Promise.all([connected(port), connected(port), connected(port)]);
  const halfClosed = await connected(port);
  while (accepted.length < 4) await sleep(5);
  halfClosed.end();
  await once(halfClosed, "finish");
  // The server's side of it leaves ESTABLISHED once the client's FIN arrives.
  while ((await establishedOnProc(port)) !== 3) await sleep(5);

  expect(await establishedBySs(port)).toBe(3);
  expect(await establishedOn(port)).toBe(3);
});

test("a port nobody uses has no established connections, by either way of counting", async () => {
  const server = createServer();
  open.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  expect(await establishedBySs(port)).toBe(0);
  expect(await establishedOnProc(port)).toBe(0);
});
