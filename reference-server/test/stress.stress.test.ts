import autocannon from "autocannon";
import { afterEach, describe, expect, it } from "vitest";
import { httpGet } from "../../common/http-client.ts";
import { RawConnection } from "../../common/raw-http.ts";
import { sleep } from "../../common/sleep.ts";
import { reapAll } from "../../targets/launch.ts";
import { SERVER_LIMITS } from "../src/serve.ts";
import { startReference } from "./start-reference.ts";

const HOST = "127.0.0.1";

afterEach(async () => {
  await reapAll();
});

describe("the reference under stress", () => {
  it("answers every request of 1,000 keep-alive connections for 10 s at 2 workers", async () => {
    const { port } = await startReference(["--workers", "2"]);
    const result = await autocannon({
      url: `http://${HOST}:${port}/json`,
      connections: 1_000,
      duration: 10,
      timeout: 10,
    });
    console.log(
      `1,000 connections, 10 s, 2 workers: ${result.requests.total} requests, ${result.errors} errors, ` +
        `${result.timeouts} timeouts, ${result.non2xx} non-2xx, p99 ${result.latency.p99} ms`,
    );
    expect(result.requests.total).toBeGreaterThan(0);
    expect({
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      resets: result.resets,
    }).toEqual({
      errors: 0,
      timeouts: 0,
      non2xx: 0,
      resets: 0,
    });
  }, 60_000);

  it("cuts off a client that sends its headers one byte a second, and serves others meanwhile", async () => {
    const { port } = await startReference(["--workers", "2"]);
    const slow = await RawConnection.open(HOST, port);
    const request =
      "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    const started = performance.now();
    let sent = 0;
    const drip = setInterval(() => slow.send(request[sent++] ?? ""), 1_000);
    try {
      // Others are served while the slow client dribbles.
      for (let i = 0; i < 5; i++) {
        expect((await httpGet(HOST, port, "/")).status).toBe(200);
        await sleep(500);
      }
      const result = await slow.readResponse(SERVER_LIMITS.headersTimeout + 5_000);
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `slow client: ${result.kind === "response" ? result.response.status : result.kind} after ${seconds.toFixed(1)} s, ${sent} bytes sent`,
      );
      expect(result.kind === "response" ? result.response.status : result.kind).toBe(408);
      expect(seconds).toBeLessThan(SERVER_LIMITS.headersTimeout / 1000 + 3);
    } finally {
      clearInterval(drip);
      slow.close();
    }
  }, 60_000);
});
