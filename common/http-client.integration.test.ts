import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { httpGet, openConnection } from "./http-client.ts";

/** A server that answers every request with 200 and keeps the connection open (HTTP/1.1 keep-alive). */
function keepAliveServer(): Promise<{
  server: Server;
  port: number;
  connections: Socket[];
  requests: string[];
}> {
  const connections: Socket[] = [];
  const requests: string[] = [];
  const server = createServer((socket) => {
    connections.push(socket);
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      requests.push(chunk);
      socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    });
    socket.on("error", () => {});
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, port: (server.address() as { port: number }).port, connections, requests }),
    ),
  );
}

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe("openConnection", () => {
  it("resolves undefined, at once, where nothing listens", async () => {
    const probe = await keepAliveServer();
    probe.server.close(); // a port that was free a moment ago, and is again
    expect(await openConnection("127.0.0.1", probe.port, 1_000)).toBeUndefined();
  });

  it("hands httpGet a connection that is closed once answered, even if the server would keep it", async () => {
    const target = await keepAliveServer();
    servers.push(target.server);
    const socket = await openConnection("127.0.0.1", target.port, 1_000);
    if (!socket) throw new Error("no connection to a listening port");
    const response = await httpGet("127.0.0.1", target.port, "/health", { timeoutMs: 1_000, socket });
    expect(response.status).toBe(200);
    // One connection only: the request went on the one opened (an agent opened its own, and the one
    // opened, left idle, held the reference's graceful shutdown).
    expect(target.connections).toHaveLength(1);
    expect(target.requests.join("")).toMatch(/^GET \/health HTTP\/1\.1\r\n/);
    // The server sees the client's end, though it would have kept the connection.
    const server = target.connections[0] as Socket;
    await new Promise<void>((resolve) => {
      if (server.readableEnded || server.destroyed) resolve();
      else server.once("end", () => resolve()).once("close", () => resolve());
    });
    expect(socket.destroyed).toBe(true);
  });
});
