import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatCpuList } from "../../common/cpu-list.ts";
import { RuntimeError } from "../../common/errors.ts";
import { reapedChildrenCpuSeconds } from "../../common/probes/procfs.ts";
import { type ProcessRun, runProcess } from "../../common/run-process.ts";
import type { LoadResult } from "../../results/bench.ts";
import type { Loader, LoadRequest } from "./types.ts";

/**
 * wrk prints its summary through this Lua hook: microseconds, one JSON line; `extra` is more Lua
 * run in the same hook (the remote loader adds the quantile function).
 */
export function wrkDoneScript(extra = ""): string {
  return `
done = function(summary, latency, requests)
  io.write(string.format(
    "BUSTBENCH {\\"requests\\":%d,\\"durationUs\\":%d,\\"bytes\\":%d,\\"connect\\":%d,\\"read\\":%d,\\"write\\":%d,\\"status\\":%d,\\"timeout\\":%d," ..
    "\\"p50\\":%d,\\"p90\\":%d,\\"p99\\":%d,\\"p999\\":%d,\\"max\\":%d}\\n",
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max))${extra}
end
`;
}

const SCRIPT = wrkDoneScript();

interface WrkSummary {
  requests: number;
  durationUs: number;
  bytes: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** Pure: wrk's output (with the script's line) in the common result shape. */
export function parseWrkOutput(stdout: string, loaderCpuSeconds: number): LoadResult {
  const line = stdout.split("\n").find((l) => l.startsWith("BUSTBENCH "));
  if (!line)
    throw new RuntimeError(`wrk printed no summary: ${stdout.trim().split("\n").at(-1) ?? "no output"}`);
  const s = JSON.parse(line.slice("BUSTBENCH ".length)) as WrkSummary;
  const durationS = s.durationUs / 1e6;
  const ms = (us: number) => us / 1000;
  return {
    requests: s.requests,
    durationS,
    rps: s.requests / durationS,
    bytes: s.bytes,
    errors: s.connect + s.read + s.write,
    timeouts: s.timeout,
    non2xx: s.status,
    latencyMs: {
      p50: ms(s.p50),
      p90: ms(s.p90),
      p99: ms(s.p99),
      p999: ms(s.p999),
      max: ms(s.max),
      count: s.requests,
    },
    latencyResolutionMs: 0.001,
    loaderCpuSeconds,
  };
}

/** wrk's arguments for a request, the Lua script at `script`; the same here and on load hosts. */
export function wrkArgs(request: LoadRequest, script: string): string[] {
  return [
    `-t${request.threads}`,
    `-c${request.connections}`,
    `-d${request.durationS}s`,
    "--timeout",
    "10s",
    "-s",
    script,
    request.url,
  ];
}

let scriptPath: string | undefined;

async function run(args: string[], cpus?: readonly number[]): Promise<ProcessRun> {
  try {
    // taskset execs wrk: the same process, so its CPU time is still read from cutime/cstime.
    return cpus
      ? await runProcess("taskset", ["-c", formatCpuList(cpus), "wrk", ...args])
      : await runProcess("wrk", args);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new RuntimeError("wrk is not installed: `apt-get install wrk` (make bench LOADER=wrk does it)");
    }
    throw error;
  }
}

/** Debian's wrk as a second load generator, to cross-check autocannon. */
export const wrkLoader: Loader = {
  name: "wrk",
  async version() {
    const { stdout, stderr } = await run(["-v"]);
    return /wrk (\S+)/.exec(`${stdout}${stderr}`)?.[1] ?? "unknown";
  },
  async run(request: LoadRequest): Promise<LoadResult> {
    if (request.pipelining > 1)
      throw new RuntimeError("wrk has no pipelining option: use --pipelining 1 with --loader wrk");
    if (!scriptPath) {
      scriptPath = join(tmpdir(), `bustbench-wrk-${process.pid}.lua`);
      writeFileSync(scriptPath, SCRIPT);
    }
    const before = await reapedChildrenCpuSeconds();
    const { code, stdout, stderr } = await run(wrkArgs(request, scriptPath), request.cpus);
    // wrk has been waited for: its CPU time is now in this process's cutime/cstime.
    const cpu = (await reapedChildrenCpuSeconds()) - before;
    if (code !== 0)
      throw new RuntimeError(`wrk exited with code ${code}: ${stderr.trim().split("\n")[0] ?? ""}`);
    return parseWrkOutput(stdout, cpu);
  },
};
