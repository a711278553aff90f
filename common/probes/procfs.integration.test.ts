import { spawn } from "node:child_process";
import { once } from "node:events";
import { afterEach, expect, test } from "vitest";
import { sleep } from "../sleep.ts";
import { readProcess, stillAlive } from "./procfs.ts";

/**
 * A process whose main thread has exited while another thread still runs, holding a listening socket:
 * what a SIGKILLed multi-threaded server is for a few ms (its main thread a zombie, the others still
 * exiting). The other thread ends when the test closes its stdin, so nothing here waits on a clock.
 */
const MAIN_THREAD_EXITS_FIRST = `
import ctypes, socket, sys, threading
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(8)
threading.Thread(target=sys.stdin.read).start()
print(listener.getsockname()[1], flush=True)
ctypes.CDLL(None).pthread_exit(None)
`;

const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

test("a process whose main thread is a zombie is alive while another of its threads runs", async () => {
  const child = spawn("python3", ["-c", MAIN_THREAD_EXITS_FIRST], { stdio: ["pipe", "pipe", "inherit"] });
  const pid = child.pid as number;
  started.push(pid);
  await once(child.stdout, "data");
  while ((await readProcess(pid))?.state !== "Z") await sleep(5);

  expect(await stillAlive(pid)).toBe(true);

  child.stdin.end();
  await once(child, "exit");
  expect(await stillAlive(pid)).toBe(false);
});
