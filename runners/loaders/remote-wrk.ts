import { RuntimeError } from "../../common/errors.ts";
import { parseCpuTotals } from "../../common/probes/proc-parse.ts";
import { type ProcessRun, runProcess } from "../../common/run-process.ts";
import type { HostShare, LoadHostInfo, LoadResult } from "../../results/bench.ts";
import type { LoadHost } from "../load-host.ts";
import { type HostDistribution, mergeDistributions, QUANTILE_GRID } from "./quantiles.ts";
import type { Loader, LoadRequest } from "./types.ts";
import { parseWrkOutput, wrkArgs, wrkDoneScript } from "./wrk.ts";

/**
 * wrk on other hosts, over OpenSSH: the user's keys and ssh config, BatchMode
 * (never a prompt), no agent of our own. Every host starts at the same instant
 * and runs for the same duration; RPS adds up, latency percentiles come from
 * the merged distributions, and each host's share and CPU use are kept. The
 * remote command stops its wrk when the ssh session goes (its stdin closes), so
 * that a cut connection or an interrupted bench leaves nothing running there.
 */

/** ssh's own options: fail fast and notice a dead link within seconds (the user's -o may change them). */
const SSH_DEFAULTS = ["ConnectTimeout=5", "ServerAliveInterval=2", "ServerAliveCountMax=3"] as const;

/**
 * ssh keeps the first value it is given for an option: BatchMode comes first (never a prompt, whatever
 * the options say), then the user's options, then the kit's defaults.
 */
export function sshArgs(host: LoadHost, options: readonly string[], command: string): string[] {
  return [
    ...["BatchMode=yes", ...options, ...SSH_DEFAULTS].flatMap((option) => ["-o", option]),
    ...(host.port ? ["-p", String(host.port)] : []),
    host.destination,
    "--",
    command,
  ];
}

/** One argument for a POSIX shell, whatever it holds. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

async function ssh(
  host: LoadHost,
  options: readonly string[],
  command: string,
  timeoutMs: number,
): Promise<ProcessRun> {
  try {
    // stdin held open: the remote command's watchdog stops wrk when it closes (this side gone).
    return await runProcess("ssh", sshArgs(host, options, command), { timeoutMs, holdStdin: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new RuntimeError("ssh is not installed here: install OpenSSH's client to use --load-host");
    }
    throw error;
  }
}

/** ssh exits 255 for its own failures (unreachable, authentication); its last stderr line says which. */
function sshFailure(host: LoadHost, run: ProcessRun): RuntimeError {
  const line =
    run.stderr.trim().split("\n").filter(Boolean).at(-1) ??
    `ssh exited with code ${run.code} without a message: the connection failed or was cut`;
  return new RuntimeError(`load host ${host.spec}: ${line.replace(/\r/g, "")}`);
}

const PROBE = [
  "command -v wrk >/dev/null 2>&1 || { echo BB-NO-WRK; exit 0; }",
  'echo "BB-WRK $(wrk -v 2>&1 | head -n1)"',
  'echo "BB-KERNEL $(uname -sr)"',
  'echo "BB-CPUS $(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc)"',
  'echo "BB-MODEL $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2-)"',
].join("; ");

/**
 * Checks a load host before anything is measured: reachable, wrk installed,
 * and what it is (CPU, cores, kernel). `target` (address and a port listening
 * there) gives the round-trip time and the route to it.
 */
export async function probeLoadHost(
  host: LoadHost,
  sshOptions: readonly string[],
  target: { address: string; port: number },
): Promise<LoadHostInfo> {
  const rtt = [
    `ip route get ${shellQuote(target.address)} 2>/dev/null | head -n1 | sed "s/^/BB-PATH /"`,
    // bash 5's clock and /dev/tcp: the connect's own time, no process started per sample.
    `command -v bash >/dev/null && bash -c ${shellQuote(
      `for i in 1 2 3 4 5; do s=$EPOCHREALTIME; exec 3<>/dev/tcp/${target.address}/${target.port} || exit 0; e=$EPOCHREALTIME; exec 3>&-; echo "BB-RTT $s $e"; done`,
    )} 2>/dev/null`,
  ].join("; ");
  const run = await ssh(host, sshOptions, `${PROBE}; ${rtt}`, 30_000);
  if (run.code === 255) throw sshFailure(host, run);
  const lines = run.stdout.split("\n");
  const value = (tag: string) =>
    lines
      .find((l) => l.startsWith(`${tag} `))
      ?.slice(tag.length + 1)
      .trim();
  if (lines.some((l) => l.startsWith("BB-NO-WRK"))) {
    throw new RuntimeError(`load host ${host.spec} has no wrk: install it there (apt-get install wrk)`);
  }
  if (run.code !== 0 || value("BB-WRK") === undefined) {
    throw new RuntimeError(
      `load host ${host.spec}: the probe failed (exit ${run.code}): ${run.stderr.trim().split("\n")[0] ?? ""}`,
    );
  }
  const samples = lines
    .filter((l) => l.startsWith("BB-RTT "))
    .map((l) => l.split(" ").map(Number))
    .map(([, s = Number.NaN, e = Number.NaN]) => (e - s) * 1000)
    .filter((ms) => Number.isFinite(ms) && ms >= 0);
  return {
    host: host.spec,
    cpuModel: value("BB-MODEL") || "unknown",
    cpus: Number(value("BB-CPUS")) || 1,
    kernel: value("BB-KERNEL") ?? "unknown",
    wrkVersion: /wrk (\S+)/.exec(value("BB-WRK") ?? "")?.[1] ?? "unknown",
    rttMs: samples.length > 0 ? Math.min(...samples) : null,
    path: value("BB-PATH") ?? null,
  };
}

/** The Lua hook: wrk's summary line, then the quantile function on the shared grid. */
const REMOTE_LUA = wrkDoneScript(`
  local qs = {}
  for _, p in ipairs({${QUANTILE_GRID.join(",")}}) do qs[#qs + 1] = string.format("%d", latency:percentile(p)) end
  io.write("BUSTQ " .. table.concat(qs, ",") .. "\\n")`);

/**
 * The command each load host runs: wait for the shared start instant, read
 * /proc/stat, run wrk with a watchdog on stdin (ssh gone: wrk stopped), read
 * /proc/stat again, and report the shell's children's CPU time (`times`).
 */
export function remoteCommand(request: LoadRequest, startAtNs: bigint): string {
  // The script's path is the remote shell's "$f"; every other argument is quoted for that shell.
  const wrk = [
    "wrk",
    ...wrkArgs(request, "\0script").map((a) => (a === "\0script" ? '"$f"' : shellQuote(a))),
  ].join(" ");
  return [
    "f=$(mktemp) || exit 97",
    `printf '%s' ${shellQuote(REMOTE_LUA)} >"$f"`,
    `sleep "$(awk -v t=${startAtNs} -v n="$(date +%s%N)" 'BEGIN { d = (t - n) / 1e9; if (d < 0) d = 0; printf "%.3f", d }')"`,
    'echo "BB-START $(date +%s%N)"',
    'echo "BB-STAT-BEFORE $(head -n1 /proc/stat)"',
    // A background job's stdin is /dev/null: the watchdog reads the session's stdin through fd 3.
    "exec 3<&0",
    `${wrk} & w=$!`,
    '(cat <&3 >/dev/null; kill "$w" 2>/dev/null) & c=$!',
    'wait "$w"; rc=$?',
    'kill "$c" 2>/dev/null',
    'echo "BB-STAT-AFTER $(head -n1 /proc/stat)"',
    // `times` in a pipe or $(...) would report a subshell: write it to a file first.
    'times >"$f.t"',
    'echo "BB-TIMES $(tail -n1 "$f.t")"',
    'rm -f "$f" "$f.t"',
    'exit "$rc"',
  ].join("\n");
}

/** Pure: one host's output in the common shape, plus its share. */
export function parseRemoteOutput(
  spec: string,
  cpus: number,
  stdout: string,
): { load: LoadResult; share: HostShare; distribution: HostDistribution } {
  const lines = stdout.split("\n");
  const value = (tag: string) =>
    lines
      .find((l) => l.startsWith(`${tag} `))
      ?.slice(tag.length + 1)
      .trim();
  const children = [...(value("BB-TIMES") ?? "").matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (sum, m) => sum + Number(m[1]) * 60 + Number(m[2]),
    0,
  );
  const load = parseWrkOutput(stdout, children);
  const before = parseCpuTotals(value("BB-STAT-BEFORE") ?? "");
  const after = parseCpuTotals(value("BB-STAT-AFTER") ?? "");
  const hostBusyCores =
    before && after
      ? (after.busyTicks - before.busyTicks) / 100 / Math.max(load.durationS, 1e-3)
      : Number.NaN;
  const quantiles = (value("BUSTQ") ?? "").split(",").map(Number);
  const startedAtNs = value("BB-START");
  return {
    load,
    share: {
      host: spec,
      requests: load.requests,
      rps: load.rps,
      latencyMs: load.latencyMs,
      wrkCores: children / Math.max(load.durationS, 1e-3),
      hostBusyCores,
      cpus,
      startedAtNs: startedAtNs ?? null,
    },
    distribution: {
      count: load.requests,
      quantilesUs: quantiles.length === QUANTILE_GRID.length ? quantiles : [],
      maxUs: load.latencyMs.max * 1000,
    },
  };
}

/** A load host is out of CPU when wrk used `limit` of its threads' cores, or the host `limit` of its CPUs. */
export function hostSaturated(share: HostShare, threads: number, limit: number): boolean {
  return share.wrkCores >= limit * Math.min(threads, share.cpus) || share.hostBusyCores >= limit * share.cpus;
}

export function remoteWrkLoader(
  hosts: readonly LoadHost[],
  sshOptions: readonly string[],
  infos: readonly LoadHostInfo[],
): Loader {
  return {
    name: "wrk",
    async version() {
      return [...new Set(infos.map((i) => i.wrkVersion))].join(", ") || "unknown";
    },
    async run(request: LoadRequest): Promise<LoadResult> {
      if (request.pipelining > 1) throw new RuntimeError("wrk has no pipelining option: use --pipelining 1");
      // Every host starts at the same instant, far enough ahead for ssh to connect to all of them.
      const startAtNs = (BigInt(Date.now()) + 2_000n) * 1_000_000n;
      const command = remoteCommand(request, startAtNs);
      const runs = await Promise.all(
        hosts.map((host) =>
          ssh(host, sshOptions, command, (request.durationS + 40) * 1000).then((run) => ({ host, run })),
        ),
      );
      const results = runs.map(({ host, run }) => {
        if (run.code === 255) throw sshFailure(host, run);
        if (run.code !== 0) {
          const code = run.code ?? -1;
          const signal = code > 128 ? ` (signal ${code - 128})` : "";
          throw new RuntimeError(
            `load host ${host.spec}: wrk exited with code ${run.code ?? "none"}${signal}${code === 143 || code === 137 ? ": it was killed mid-run" : ""}`,
          );
        }
        const cpus = infos.find((i) => i.host === host.spec)?.cpus ?? 1;
        return parseRemoteOutput(host.spec, cpus, run.stdout);
      });
      const sum = (pick: (r: LoadResult) => number) => results.reduce((n, r) => n + pick(r.load), 0);
      const latencyMs = results.every((r) => r.distribution.quantilesUs.length > 0)
        ? mergeDistributions(results.map((r) => r.distribution))
        : (results[0]?.load.latencyMs ?? mergeDistributions([]));
      return {
        requests: sum((r) => r.requests),
        durationS: Math.max(...results.map((r) => r.load.durationS)),
        rps: sum((r) => r.rps),
        bytes: sum((r) => r.bytes),
        errors: sum((r) => r.errors),
        timeouts: sum((r) => r.timeouts),
        non2xx: sum((r) => r.non2xx),
        latencyMs,
        latencyResolutionMs: 0.001,
        loaderCpuSeconds: sum((r) => r.loaderCpuSeconds),
        hosts: results.map((r) => r.share),
      };
    },
  };
}
