import { afterEach, describe, expect, it } from "vitest";
import { httpGet } from "../../common/http-client.ts";
import { liveDescendants } from "../../common/probes/procfs.ts";
import { RawConnection } from "../../common/raw-http.ts";
import { reapAll } from "../../targets/launch.ts";
import { startReference } from "./start-reference.ts";

const HOST = "127.0.0.1";

afterEach(async () => {
  await reapAll();
});

/** Sends raw bytes on a fresh connection and returns the status line the server answers with. */
async function rawStatus(port: number, bytes: string): Promise<string> {
  const connection = await RawConnection.open(HOST, port);
  connection.send(bytes);
  const result = await connection.readResponse(5_000);
  connection.close();
  return result.kind === "response" ? String(result.response.status) : result.kind;
}

describe("the reference and malformed requests", () => {
  it("answers a bad request line with 400 and a 17 KB header with 431, and no worker goes down", async () => {
    const { proc, port } = await startReference(["--workers", "2"]);
    const workers = (await liveDescendants(proc.pid)).map((p) => p.pid).sort();
    expect(await rawStatus(port, "THIS IS NOT HTTP\r\n\r\n")).toBe("400");
    expect(
      await rawStatus(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(17 * 1024)}\r\n\r\n`),
    ).toBe("431");
    expect(await rawStatus(port, "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n")).toBe("400");
    for (let i = 0; i < 20; i++) expect((await httpGet(HOST, port, "/")).status).toBe(200);
    expect((await liveDescendants(proc.pid)).map((p) => p.pid).sort()).toEqual(workers);
  });
});
