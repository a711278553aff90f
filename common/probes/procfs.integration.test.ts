import { spawn } from "node:child_process";
import { once } from "node:events";
import { afterEach, expect, test } from "vitest";
import { sleep } from "../sleep.ts";
import { listenRows, readProcess, socketHolders, startedSince, startTicksOf, stillAlive } from "./procfs.ts";

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

/**
 * Holds a listening socket until its stdin closes, printing "port pid"; with "fork", a child that
 * made a session of its own (setsid, as a daemon does) holds a second one.
 */
const HOLDER = `
import os, socket, sys
def hold():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    print(s.getsockname()[1], os.getpid(), flush=True)
    return s
kept = hold()
if sys.argv[1:] == ["fork"] and os.fork() == 0:
    os.setsid()
    kept2 = hold()
sys.stdin.read()
`;

/** Starts HOLDER in a session of its own (as the kit starts a target) with `tag` in its environment. */
async function holder(tag: string | undefined, fork = false): Promise<Map<number, number>> {
  const env = { ...process.env };
  delete env.HOLDER_TAG;
  if (tag !== undefined) env.HOLDER_TAG = tag;
  const child = spawn("python3", ["-c", HOLDER, ...(fork ? ["fork"] : [])], {
    detached: true,
    env,
    stdio: ["pipe", "pipe", "inherit"],
  });
  started.push(child.pid as number);
  const held = new Map<number, number>(); // port -> pid
  let text = "";
  for await (const chunk of child.stdout) {
    text += String(chunk);
    // Whole lines only: a line may come in two chunks.
    const lines = text.split("\n");
    text = lines.pop() ?? "";
    for (const line of lines.filter(Boolean)) {
      const [port, pid] = line.split(" ").map(Number) as [number, number];
      held.set(port, pid);
      if (pid !== child.pid) started.push(pid);
    }
    if (held.size === (fork ? 2 : 1)) break;
  }
  return held;
}

test("socketHolders leaves out the processes of sessions led by another launch, and only those", async () => {
  const ours = await holder("ours", true);
  const theirs = await holder("theirs");
  const untagged = await holder(undefined);
  const since = (await readProcess([...ours.values()][0] as number))?.startTicks as number;
  const inodeOf = async (port: number) => (await listenRows()).find((row) => row.localPort === port)?.inode;
  const holdersOf = async (held: Map<number, number>, map: Map<number, number[]>) =>
    Promise.all([...held].map(async ([port]) => map.get((await inodeOf(port)) as number) ?? []));

  const others = { env: "HOLDER_TAG", own: "ours" };
  const withOthers = await socketHolders(since, others);
  // Our leader, and our child that left for a session of its own (it holds its parent's socket too, by
  // fork): both still ours.
  const [leader, child] = [...ours.values()] as [number, number];
  expect(await holdersOf(ours, withOthers)).toEqual([[leader, child].sort((a, b) => a - b), [child]]);
  expect(await holdersOf(theirs, withOthers)).toEqual([[]]);
  // A session whose leader carries no tag is nobody's the kit can name: looked at.
  expect(await holdersOf(untagged, withOthers)).toEqual([[[...untagged.values()][0]]]);

  const all = await socketHolders(since);
  expect(await holdersOf(theirs, all)).toEqual([[[...theirs.values()][0]]]);
});

test("startedSince finds the processes started since a time, and a new one at the very next look", async () => {
  const sleeper = () => {
    const child = spawn("sleep", ["30"], { stdio: "ignore" });
    started.push(child.pid as number);
    return child.pid as number;
  };
  const first = sleeper();
  const since = startTicksOf(first) as number;
  const pids = async () => (await startedSince(since)).map((proc) => proc.pid);
  const seen = await pids();
  expect(seen).toContain(first);
  // Older than the launch: this test's own process is not among them.
  expect(seen).not.toContain(process.pid);
  // Started right after a look, found by the next: no start time is remembered by pid (see startedSince).
  const second = sleeper();
  expect(await pids()).toEqual(expect.arrayContaining([first, second]));
  expect(await pids()).not.toContain(process.pid);
});
