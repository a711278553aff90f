import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kitRoot } from "../common/paths.ts";
import { sleep } from "../common/sleep.ts";
import { Instance, NotReadyError } from "./instance.ts";
import { resolveManifest } from "./manifest.ts";
import { observeWorkers } from "./observe.ts";

/**
 * A start that other programs keep from its CPU is not late: the start timeout counts the time the
 * target used, not the time it waited for a CPU (start-clock.ts). The target and three hogs are pinned
 * to one CPU, so that the target gets about a quarter of it on any host: a start that needs 0.8 s of
 * CPU then takes about 3.5 s on the clock, well over its 2.5 s timeout and under the 7.5 s cap
 * (START_CLOCK_CAP), and one that needs 4 s still times out.
 * Its work is counted in CPU time (process_time), so no figure here depends on the host's speed.
 */
const PIN = "import os\nos.sched_setaffinity(0, [max(os.sched_getaffinity(0))])\n";

const SERVE_AFTER_WORK = `${PIN}
import http.server, sys, time
port, work = int(sys.argv[1]), float(sys.argv[2])
while time.process_time() < work:
    pass
class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", port), Health).serve_forever()
`;

const TIMEOUT_MS = 2_500;

function target(cpuSeconds: number) {
  return resolveManifest(
    {
      name: `cpu-bound-start-${cpuSeconds}`,
      command: ["python3", "-c", SERVE_AFTER_WORK, "{port}", String(cpuSeconds)],
      readyPath: "/health",
      startTimeoutMs: TIMEOUT_MS,
      stopTimeoutMs: 2_000,
    },
    join(kitRoot(), "targets", "cpu-bound-start.json"),
  );
}

/** CPU time a process has run, in ms (the first field of /proc/PID/schedstat); 0 once gone. */
function ranMs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
  } catch {
    return 0;
  }
}

/**
 * mpserver's primary forks its first worker at once, then computes 1.2 CPU s before the second: beside
 * the hogs a pause of about 5 s on the clock in which nothing in the launch changes, longer than the
 * 2.5 s quiet period, though the server had only 1.2 s of its own time.
 */
function slowSecondFork() {
  const mpserver = join(kitRoot(), "suites", "fixtures", "python", "mpserver.py");
  return resolveManifest(
    {
      name: "slow-second-fork",
      command: [
        "python3",
        mpserver,
        "--port",
        "{port}",
        "--workers",
        "{workers}",
        "--fork-work-s",
        "1.2",
        "--pin-last-cpu",
      ],
      startTimeoutMs: 30_000,
      stopTimeoutMs: 5_000,
    },
    join(kitRoot(), "targets", "slow-second-fork.json"),
  );
}

const hogs: ChildProcess[] = [];
beforeAll(async () => {
  for (let i = 0; i < 3; i++)
    // Each in a session of its own, as the target is: with the kernel's autogroup scheduling, the CPU
    // is shared between sessions first, and hogs in one session would leave the target half of it.
    // Each spins until its parent is gone: a test process killed outright leaves no hog behind.
    hogs.push(
      spawn("python3", ["-c", `${PIN}parent = os.getppid()\nwhile os.getppid() == parent:\n    pass\n`], {
        stdio: "ignore",
        detached: true,
      }),
    );
  // Spinning on their CPU (their start done) before any target starts beside them.
  while (hogs.some((hog) => ranMs(hog.pid ?? 0) < 100)) await sleep(20);
});
afterAll(() => {
  for (const hog of hogs) hog.kill("SIGKILL");
});

describe("the start timeout on a host that keeps the target from its CPU", () => {
  it("does not count the time the target waited for a CPU", { timeout: 30_000 }, async () => {
    const instance = await Instance.start(target(0.8), { workers: 1 });
    try {
      // Slowed past its timeout on the clock, or this test proves nothing.
      expect(instance.readyMs).toBeGreaterThan(TIMEOUT_MS);
      expect(instance.readyCpuWaitMs).toBeGreaterThan(0);
    } finally {
      await instance.dispose();
    }
  });

  it("still ends a start that needs more than its timeout, and says how long it waited", {
    timeout: 30_000,
  }, async () => {
    const error = await Instance.start(target(4), { workers: 1 }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(NotReadyError);
    expect((error as Error).message).toMatch(
      /^not ready after 2500 ms \(\d+ ms on the clock, \d+ ms of them waiting for a CPU\)$/,
    );
  });
});

describe("a quiet period on a host that keeps the target from its CPU", () => {
  it("is timed on the launch's own clock: a worker forked late by a starved primary is waited for", {
    timeout: 60_000,
  }, async () => {
    const instance = await Instance.start(slowSecondFork(), { workers: 2 });
    try {
      const seen = await observeWorkers(instance, 2);
      expect({ workers: seen.model.workers.length, settledBy: seen.settledBy }).toEqual({
        workers: 2,
        settledBy: "count",
      });
    } finally {
      await instance.dispose();
    }
  });
});
