import { describe, expect, it } from "vitest";
import { parseLoadHost } from "../load-host.ts";
import { QUANTILE_GRID } from "./quantiles.ts";
import { hostSaturated, parseRemoteOutput, remoteCommand, shellQuote, sshArgs } from "./remote-wrk.ts";

describe("sshArgs", () => {
  it("puts BatchMode first and the user's options before the kit's defaults (ssh keeps the first value)", () => {
    const args = sshArgs(parseLoadHost("bench@h:2222"), ["ConnectTimeout=30"], "true");
    const options = args.filter((_, i) => args[i - 1] === "-o");
    expect(options).toEqual([
      "BatchMode=yes",
      "ConnectTimeout=30",
      "ConnectTimeout=5",
      "ServerAliveInterval=2",
      "ServerAliveCountMax=3",
    ]);
    expect(args.slice(-5)).toEqual(["-p", "2222", "bench@h", "--", "true"]);
  });
});

describe("shellQuote", () => {
  it("keeps anything as one argument", () => {
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
  });
});

describe("remoteCommand", () => {
  it("quotes the URL, keeps the script path a shell variable, and watches stdin through fd 3", () => {
    const command = remoteCommand(
      { url: "http://198.18.0.1:25000/a?b=1&c", connections: 50, durationS: 6, pipelining: 1, threads: 2 },
      1_700_000_000_000_000_000n,
    );
    expect(command).toContain(
      `wrk '-t2' '-c50' '-d6s' '--timeout' '10s' '-s' "$f" 'http://198.18.0.1:25000/a?b=1&c' & w=$!`,
    );
    expect(command).toContain("exec 3<&0");
    expect(command).toContain('(cat <&3 >/dev/null; kill "$w" 2>/dev/null) & c=$!');
    expect(command).toContain("-v t=1700000000000000000");
  });
});

describe("parseRemoteOutput", () => {
  const summary = {
    requests: 1000,
    durationUs: 2_000_000,
    bytes: 50_000,
    connect: 0,
    read: 1,
    write: 0,
    status: 2,
    timeout: 0,
    p50: 100,
    p90: 200,
    p99: 900,
    p999: 1500,
    max: 2000,
  };
  const stdout = [
    "BB-START 1700000000000000000",
    "BB-STAT-BEFORE cpu  100 0 50 1000 0 0 0 0 0 0",
    `BUSTBENCH ${JSON.stringify(summary)}`,
    `BUSTQ ${QUANTILE_GRID.map(() => 100).join(",")}`,
    "BB-STAT-AFTER cpu  300 0 150 1100 0 0 0 0 0 0",
    "BB-TIMES 0m0.400s 0m0.600s",
  ].join("\n");

  it("reads the load, wrk's CPU from `times` and the host's busy CPUs from /proc/stat", () => {
    const { load, share, distribution } = parseRemoteOutput("root@h", 4, stdout);
    expect(load).toMatchObject({ requests: 1000, rps: 500, errors: 1, non2xx: 2, loaderCpuSeconds: 1 });
    // 300 busy ticks in 2 s at 100 Hz: 1.5 cores; wrk 1 CPU second in 2 s: 0.5 cores.
    expect(share).toMatchObject({
      host: "root@h",
      requests: 1000,
      cpus: 4,
      wrkCores: 0.5,
      hostBusyCores: 1.5,
    });
    expect(share.startedAtNs).toBe("1700000000000000000");
    expect(distribution.quantilesUs).toHaveLength(QUANTILE_GRID.length);
    expect(hostSaturated(share, 1, 0.85)).toBe(false);
    expect(hostSaturated({ ...share, wrkCores: 0.9 }, 1, 0.85)).toBe(true);
    expect(hostSaturated({ ...share, hostBusyCores: 3.5 }, 2, 0.85)).toBe(true);
  });
});
