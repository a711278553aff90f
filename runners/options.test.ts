import { describe, expect, it } from "vitest";
import { UsageError } from "../common/errors.ts";
import { resolveBenchOptions } from "./options.ts";

describe("resolveBenchOptions", () => {
  it("applies the defaults", () => {
    expect(resolveBenchOptions({})).toEqual({
      target: undefined,
      baseline: undefined,
      workers: [1, 2, 4, 8],
      workersAuto: false,
      routes: ["root", "json", "io"],
      routesGiven: false,
      ioMs: 10,
      durationS: 6,
      runs: 3,
      warmupS: 2,
      connections: 50,
      pipelining: 1,
      loader: "auto",
      loaderThreads: 1,
      quick: false,
      cpus: "auto",
      allowErrors: false,
      fixedRate: [0.5, 0.9],
      shutdownRuns: 5,
      shutdownRatePerS: 5000,
      loadHosts: [],
      sshOptions: [],
      targetAddress: null,
    });
    expect(resolveBenchOptions({ fixedRate: "none" }).fixedRate).toEqual([]);
    expect(resolveBenchOptions({ workers: "auto" }).workersAuto).toBe(true);
    expect(() => resolveBenchOptions({ fixedRate: "50,0" })).toThrow(
      "--fixed-rate must list per cents from 1 to 100 (or 'none'), got '50,0'",
    );
  });

  it("takes load hosts with their target address, and leaves out what needs a client here", () => {
    expect(
      resolveBenchOptions({
        loadHosts: ["root@198.18.0.2", "bench@[2001:db8::2]:2222"],
        targetAddress: "198.18.0.1",
        sshOptions: ["IdentityFile=/tmp/key"],
      }),
    ).toMatchObject({
      loadHosts: ["root@198.18.0.2", "bench@[2001:db8::2]:2222"],
      targetAddress: "198.18.0.1",
      sshOptions: ["IdentityFile=/tmp/key"],
      cpus: null,
      fixedRate: [],
    });
  });

  it("keeps --cpus as given, and --no-pin as no placement", () => {
    expect(resolveBenchOptions({ cpus: "loader=0,target=1" }).cpus).toBe("loader=0,target=1");
    expect(resolveBenchOptions({ noPin: true }).cpus).toBeNull();
  });

  it("QUICK shortens what is not given explicitly", () => {
    expect(resolveBenchOptions({ quick: true, runs: "2" })).toMatchObject({
      durationS: 1,
      runs: 2,
      warmupS: 0,
    });
  });

  it("reads lists, Make-style empty values and 'none'", () => {
    expect(
      resolveBenchOptions({ workers: "2,1,2", routes: "json", durationS: "", baseline: "none" }),
    ).toMatchObject({
      workers: [2, 1],
      routes: ["json"],
      routesGiven: true,
      durationS: 6,
      baseline: null,
    });
  });

  it.each([
    [
      { workers: "1,0" },
      "--workers must be 'auto' or a comma-separated list of worker counts from 1 to 512, got '1,0'",
    ],
    [{ workers: "1,,2" }, "--workers has an empty item: '1,,2'"],
    [{ routes: "root,xml" }, "--routes must name some of root, json, io, got 'xml'"],
    [{ ioMs: "20000" }, "--io-ms must be a whole number from 0 to 10000, got '20000'"],
    [{ durationS: "1.5" }, "--duration must be a whole number from 1 to 3600, got '1.5'"],
    [{ runs: "0" }, "--runs must be a whole number from 1 to 100, got '0'"],
    [{ loader: "ab" }, "--loader must be auto, autocannon or wrk, got 'ab'"],
    [{ connections: "2", loaderThreads: "4" }, "--loader-threads (4) cannot exceed --connections (2)"],
    [
      { loadHosts: ["root@198.18.0.2"] },
      "--load-host needs --target-address: the address of this host that the load hosts reach (loopback is not reachable from them)",
    ],
    [{ targetAddress: "198.18.0.1" }, "--target-address is for load from other hosts: give --load-host too"],
    [
      { loadHosts: ["root@h"], targetAddress: "bench.local" },
      "--target-address must be an IP address, got 'bench.local'",
    ],
    [
      { loadHosts: ["root@h:99999"], targetAddress: "198.18.0.1" },
      "--load-host must be user@host or user@host:port, got 'root@h:99999'",
    ],
    [
      { loadHosts: ["root@h"], targetAddress: "198.18.0.1", loader: "autocannon" },
      "--load-host runs wrk on the load hosts: use --loader wrk or auto",
    ],
    [
      { loadHosts: ["root@h"], targetAddress: "198.18.0.1", fixedRate: "50" },
      "--fixed-rate runs the kit's own client on this host: not available with --load-host",
    ],
  ])("refuses %j in one line", (raw, message) => {
    expect(() => resolveBenchOptions(raw)).toThrow(new UsageError(message));
  });
});
