import { connect, createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { httpGet } from "../../common/http-client.ts";
import { countByAcceptor, sampleConnections } from "../../common/probes/connections.ts";
import {
  listeningSockets,
  liveDescendants,
  liveGroupMembers,
  readProcess,
  stillAlive,
} from "../../common/probes/procfs.ts";
import { sleep } from "../../common/sleep.ts";
import { freePort } from "../../targets/instance.ts";
import { type Launched, launch, reapAll } from "../../targets/launch.ts";
import { LIVENESS, WORKER_V8_FLAGS } from "../src/worker-config.ts";
import { REFERENCE_CLI, runReference, startReference } from "./start-reference.ts";

const HOST = "127.0.0.1";

afterEach(async () => {
  await reapAll();
});

/** Recorded descendants still alive, plus anything left in the launch's process group. */
async function leftBehind(proc: Launched): Promise<number[]> {
  const alive = new Set((await liveGroupMembers(proc.pid)).map((p) => p.pid));
  for (const [pid, start] of proc.known) if (await stillAlive(pid, start)) alive.add(pid);
  return [...alive];
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ host: HOST, port }, () => probe.close(() => resolve(true)));
  });
}

describe("reference server, --workers 4 on Linux", () => {
  it("forks 4 workers that each own one LISTEN socket, and every worker answers", async () => {
    const { proc, port } = await startReference(["--workers", "4"]);
    const descendants = await liveDescendants(proc.pid);
    const workers = descendants.map((p) => p.pid);
    expect(workers).toHaveLength(4);
    // Lean workers (reference-server/DESIGN.md): V8 without background threads.
    for (const worker of descendants)
      expect(worker.cmdline).toEqual(expect.arrayContaining([...WORKER_V8_FLAGS]));

    const sockets = await listeningSockets(port);
    expect(sockets).toHaveLength(4);
    for (const socket of sockets) expect(socket.holders).toHaveLength(1);
    expect(sockets.map((s) => s.holders[0]).sort()).toEqual([...workers].sort());
    expect(sockets.flatMap((s) => s.holders)).not.toContain(proc.pid);

    const samples = await sampleConnections(HOST, port, "/", 200);
    expect(samples.every((s) => s.status === 200 && s.acceptedBy.length === 1)).toBe(true);
    expect([...countByAcceptor(samples).keys()].sort()).toEqual([...workers].sort());
  });

  it("answers the Quick Start routes with correct headers", async () => {
    const { port } = await startReference(["--workers", "2"]);
    const root = await httpGet(HOST, port, "/");
    expect(root.status).toBe(200);
    expect(JSON.parse(root.body)).toEqual({ message: "Hello, World!" });
    expect(root.headers["content-type"]).toBe("application/json");
    expect(Number(root.headers["content-length"])).toBe(Buffer.byteLength(root.body));
    expect(Number.isNaN(Date.parse(root.headers.date ?? ""))).toBe(false);

    const json = await httpGet(HOST, port, "/json");
    expect(JSON.parse(json.body)).toEqual({ hello: "world" });
    const health = await httpGet(HOST, port, "/health");
    expect([health.status, health.body, health.headers["content-type"]]).toEqual([
      200,
      "OK",
      "text/plain; charset=utf-8",
    ]);

    const missing = await httpGet(HOST, port, "/missing");
    expect(missing.status).toBe(404);
    expect(missing.headers["content-type"]).toBe("application/json");
    const post = await httpGet(HOST, port, "/json", { method: "POST" });
    expect([post.status, post.headers.allow]).toEqual([405, "GET, HEAD"]);
  });

  it("answers /io?ms=N after N ms, and 100 of them at once within little more than N", async () => {
    const { port } = await startReference(["--workers", "2"]);
    const started = performance.now();
    const one = await httpGet(HOST, port, "/io?ms=150");
    expect(performance.now() - started).toBeGreaterThanOrEqual(149);
    expect([one.status, JSON.parse(one.body)]).toEqual([200, { hello: "world" }]);
    // The wait uses no CPU: 100 concurrent waits overlap instead of queuing behind each other.
    const burst = performance.now();
    const all = await Promise.all(Array.from({ length: 100 }, () => httpGet(HOST, port, "/io?ms=150")));
    expect(all.every((r) => r.status === 200)).toBe(true);
    // One after another on 2 workers they would take 100 x 150 ms / 2 = 7.5 s: the bound is that, halved.
    expect(performance.now() - burst).toBeLessThan(3_750);
    const bad = await httpGet(HOST, port, "/io?ms=soon");
    expect([bad.status, JSON.parse(bad.body)]).toEqual([
      400,
      { error: "ms must be a whole number from 0 to 10000" },
    ]);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`${signal}: prints the shutdown line, exits 0, leaves nothing behind and frees the port`, async () => {
      const { proc, port } = await startReference(["--workers", "4"]);
      expect(proc.known.size).toBe(4);
      proc.signal(signal);
      const exit = await proc.exit;
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(proc.lines.map((l) => l.text)).toContain("🛑 Shutting down workers...");
      expect(await leftBehind(proc)).toEqual([]);
      expect(await portIsFree(port)).toBe(true);
    });
  }

  it("finishes a request in flight on a keep-alive connection when SIGTERM arrives", async () => {
    const { proc, port } = await startReference(["--workers", "2"]);
    const socket = connect({ host: HOST, port });
    const received: string[] = [];
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => received.push(chunk));
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write("GET /json HTTP/1.1\r\nHost: x\r\n"); // the request has begun, its headers are not complete
    await sleep(100);
    proc.signal("SIGTERM");
    await proc.waitForLine(/Shutting down workers/, 5_000);
    await sleep(200);
    socket.write("\r\n");
    const closed = new Promise((resolve) => socket.once("close", resolve));
    await closed;
    const response = received.join("");
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response.toLowerCase()).toContain("connection: close");
    expect(response).toContain('{"hello":"world"}');
    expect((await proc.exit).code).toBe(0);
  });

  it("leaves no worker behind when the primary is killed with SIGKILL", async () => {
    const { proc } = await startReference(["--workers", "3"]);
    proc.signal("SIGKILL");
    await proc.exit;
    const deadline = Date.now() + 3_000;
    let alive = await leftBehind(proc);
    while (alive.length > 0 && Date.now() < deadline) {
      await sleep(50);
      alive = await leftBehind(proc);
    }
    expect(alive).toEqual([]);
  });

  it("respawns a worker that dies, and logs it", async () => {
    const { proc, port } = await startReference(["--workers", "2"]);
    const [victim] = [...proc.known.keys()];
    process.kill(victim as number, "SIGKILL");
    const logged = await proc.waitForLine(/worker \d+ exited \(signal SIGKILL\); respawning/, 5_000);
    expect(logged?.text).toContain(String(victim));
    await proc.waitForLine(/listening \(respawned\)/, 5_000);
    const workers = (await liveDescendants(proc.pid)).map((p) => p.pid);
    expect(workers).toHaveLength(2);
    expect(workers).not.toContain(victim);
    expect(await listeningSockets(port)).toHaveLength(2);
  });
});

describe("reference server, a start kept from the CPU", () => {
  // A worker that listens and then gets no CPU while its sibling still starts (a host busy with other
  // programs): stopped here with SIGSTOP for longer than the primary waits for a hung worker's answer.
  // It is not judged hung before the instance is ready, and the start goes on once it runs again.
  it("judges no worker hung before every worker listens", { timeout: 30_000 }, async () => {
    const port = await freePort();
    const proc = launch({
      command: process.execPath,
      args: [REFERENCE_CLI, "--workers", "2", "--host", HOST, "--port", String(port)],
    });
    const stopped = new Set<number>();
    // Both workers held as soon as they run the worker's Node, long before either can listen; not before
    // (a child held between fork and exec would hold its primary, which waits for the exec to report).
    while (stopped.size < 2 && !proc.exited) {
      for (const worker of await liveDescendants(proc.pid)) {
        if (stopped.has(worker.pid) || !worker.cmdline.includes(WORKER_V8_FLAGS[0])) continue;
        process.kill(worker.pid, "SIGSTOP");
        stopped.add(worker.pid);
      }
      await sleep(2);
    }
    const [first, second] = [...stopped] as [number, number];
    process.kill(first, "SIGCONT");
    while (!(await listeningSockets(port)).some((socket) => socket.holders.includes(first))) await sleep(10);
    process.kill(first, "SIGSTOP");
    // Longer than the primary waits for an answer to its pings, with a ping round to spare.
    await sleep(LIVENESS.hungAfterMs + 2 * LIVENESS.pingEveryMs);
    expect(proc.exited, proc.tail().join("\n")).toBeUndefined();
    process.kill(first, "SIGCONT");
    process.kill(second, "SIGCONT");
    const banner = await proc.waitForLine(/http:\/\/\S+:\d+/, 10_000);
    expect(banner?.text, proc.tail().join("\n")).toContain(`:${port}`);
    expect(proc.lines.some((line) => /hung/.test(line.text))).toBe(false);
    expect((await httpGet(HOST, port, "/")).status).toBe(200);
  });
});

describe("reference server, on a host that pauses it", () => {
  // A host that stops a process for a while and lets it run again (a frozen cgroup, docker pause, a VM or
  // a laptop suspended, a CPU starved): when it runs again, its overdue timers run before it reads what
  // came in meanwhile (Linux ends its epoll_wait with EINTR on SIGCONT). A message sent then to a process
  // that died meanwhile fails with EPIPE; the reference once threw that error and died of it (a
  // RESPAWN-1 run of the suite: "the started process exited 0.2 s after the kill").

  async function deadOrZombie(pid: number): Promise<void> {
    for (;;) {
      const state = (await readProcess(pid))?.state;
      if (state === undefined || state === "Z") return;
      await sleep(10);
    }
  }

  it("a primary paused while a worker dies lives on, and replaces the worker", {
    timeout: 30_000,
  }, async () => {
    const { proc, port } = await startReference(["--workers", "2"]);
    const [victim] = [...proc.known.keys()] as [number];
    proc.signal("SIGSTOP");
    process.kill(victim, "SIGKILL");
    await deadOrZombie(victim); // its end of the channel is closed
    // The primary's next ping overdue, so that it runs first on SIGCONT.
    await sleep(LIVENESS.pingEveryMs + 200);
    proc.signal("SIGCONT");
    const respawned = await proc.waitForLine(/listening \(respawned\)/, 10_000);
    expect(respawned?.text, proc.tail().join("\n")).toBeDefined();
    expect(proc.exited).toBeUndefined();
    expect(proc.lines.some((line) => /EPIPE/.test(line.text))).toBe(false);
    expect(await listeningSockets(port)).toHaveLength(2);
  });

  it("a worker paused with a ping waiting, whose primary is killed, drains when it runs again", {
    timeout: 30_000,
  }, async () => {
    const { proc } = await startReference(["--workers", "2"]);
    const [worker] = [...proc.known.keys()] as [number];
    process.kill(worker, "SIGSTOP");
    // A ping waits in its channel (pings go every pingEveryMs; the primary judges it hung only later).
    await sleep(LIVENESS.pingEveryMs + 200);
    proc.signal("SIGKILL");
    await proc.exit;
    process.kill(worker, "SIGCONT");
    await deadOrZombie(worker);
    await sleep(20); // the last lines through the pipes
    expect(proc.lines.filter((line) => /EPIPE|Error/.test(line.text))).toEqual([]);
  });
});

describe("reference server, one process", () => {
  it.each(["darwin", "win32"])("falls back to one process as %s and says so", async (platform) => {
    const { proc, port } = await startReference(["--workers", "4"], { BUSTAPI_PLATFORM: platform });
    const name = platform === "darwin" ? "macOS" : "Windows";
    const text = proc.lines.map((l) => l.text);
    expect(text).toContain(`[BustAPI] Starting server on ${name} (single process mode)...`);
    expect(text).toContain("[BustAPI] Note: Multi-worker mode requires SO_REUSEPORT (Linux only)");
    expect(await liveDescendants(proc.pid)).toEqual([]);
    const sockets = await listeningSockets(port);
    expect(sockets.map((s) => s.holders)).toEqual([[proc.pid]]);
    expect((await httpGet(HOST, port, "/")).status).toBe(200);
  });

  it("ignores --workers in debug mode and says so", async () => {
    const { proc, port } = await startReference(["--workers", "4", "--debug"]);
    expect(proc.lines.map((l) => l.text)).toContain(
      "[BustAPI] Debug mode: workers=4 is ignored, serving from one process",
    );
    expect(await liveDescendants(proc.pid)).toEqual([]);
    expect((await listeningSockets(port)).map((s) => s.holders)).toEqual([[proc.pid]]);
  });
});

describe("reference server, bad input", () => {
  it.each([
    [["--workers", "0"], 2, "error: --workers must be a positive integer (at most 512), got '0'"],
    [["--workers", "-1"], 2, "error: --workers must be a positive integer (at most 512), got '-1'"],
    [["--workers", "abc"], 2, "error: --workers must be a positive integer (at most 512), got 'abc'"],
    [["--port", "70000"], 2, "error: --port must be a port number from 0 to 65535, got '70000'"],
    [["--port", "x"], 2, "error: --port must be a port number from 0 to 65535, got 'x'"],
    [["--bogus"], 2, "error: unknown option --bogus (see --help)"],
    [
      ["--workers", "2", "--host", "192.0.2.1"],
      1,
      "error: cannot listen on 192.0.2.1:5000: address not available on this host (EADDRNOTAVAIL)",
    ],
    [
      ["--workers", "2", "--port", "1", "--host", "no-such-host.invalid"],
      1,
      /^error: cannot listen on no-such-host\.invalid:1: host name/,
    ],
  ] as const)("%j -> exit %i with one line", async (args, code, message) => {
    const { exit, stderr, proc } = await runReference(args);
    expect(exit.code).toBe(code);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(
      typeof message === "string" ? new RegExp(`^${RegExp.escape(message)}$`) : message,
    );
    expect(await leftBehind(proc)).toEqual([]);
  });

  it("refuses a port another program holds, in one line, with exit 1 and no worker left", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen({ host: HOST, port: 0 }, resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const { exit, stderr, proc } = await runReference(["--workers", "2", "--port", String(port)]);
      expect(exit.code).toBe(1);
      expect(stderr).toEqual([
        `error: cannot listen on ${HOST}:${port}: address already in use (EADDRINUSE)`,
      ]);
      expect(await leftBehind(proc)).toEqual([]);
    } finally {
      holder.close();
    }
  });

  it("refuses an unknown BUSTAPI_PLATFORM", async () => {
    const { exit, stderr } = await runReference(["--workers", "2"], { BUSTAPI_PLATFORM: "beos" });
    expect(exit.code).toBe(2);
    expect(stderr).toEqual(["error: BUSTAPI_PLATFORM must be one of linux, darwin, win32, got 'beos'"]);
  });
});
