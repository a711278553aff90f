import { describe, expect, it } from "vitest";
import { type GuardInput, guard } from "./guards.ts";

const base: GuardInput = {
  logicalCpus: 8,
  placement: null,
  workers: 2,
  loaderThreads: 1,
  loaderCores: 0.4,
  serverCores: 1.0,
  hostBusyCores: 1.5,
  failures: 0,
  cv: 0.02,
  rps: 20_000,
  concurrencyCapRps: null,
};

describe("guard", () => {
  it("flags nothing on a quiet, roomy host", () => {
    expect(guard(base)).toEqual({ flags: [], saturated: "none" });
  });

  it("is client-bound when the loader uses most of its threads' cores", () => {
    expect(guard({ ...base, loaderCores: 0.9 })).toEqual({ flags: ["client-bound"], saturated: "loader" });
  });

  it("is client-bound when the host is saturated with the loader among the users", () => {
    const busy = {
      ...base,
      logicalCpus: 2,
      workers: 1,
      loaderCores: 0.7,
      serverCores: 1.1,
      hostBusyCores: 1.9,
    };
    expect(guard(busy)).toEqual({ flags: ["client-bound"], saturated: "host" });
  });

  it("says the server saturated when its workers used their cores and the client did not", () => {
    expect(guard({ ...base, serverCores: 1.9, hostBusyCores: 2.4 })).toEqual({
      flags: [],
      saturated: "server",
    });
  });

  it("is oversubscribed when workers plus loader threads exceed the CPUs", () => {
    expect(guard({ ...base, logicalCpus: 2, workers: 2, hostBusyCores: 1.2 }).flags).toContain(
      "oversubscribed",
    );
    expect(guard({ ...base, logicalCpus: 3, workers: 2 }).flags).not.toContain("oversubscribed");
  });

  it("flags errors and noise", () => {
    expect(guard({ ...base, failures: 1 }).flags).toEqual(["errors"]);
    expect(guard({ ...base, cv: 0.11 }).flags).toEqual(["noisy"]);
    expect(guard({ ...base, cv: Number.NaN }).flags).toEqual([]);
  });

  it("flags a waiting route that reached the load's concurrency limit (Little's law)", () => {
    // 50 connections and a 10 ms wait: at most 5,000 RPS whatever the server.
    expect(guard({ ...base, rps: 4_600, concurrencyCapRps: 5_000 }).flags).toEqual(["concurrency-bound"]);
    expect(guard({ ...base, rps: 4_400, concurrencyCapRps: 5_000 }).flags).toEqual([]);
    expect(guard({ ...base, rps: 1e6, concurrencyCapRps: null }).flags).toEqual([]);
  });

  it("does not call a waiting route oversubscribed unless its CPUs ran out", () => {
    const io = { ...base, logicalCpus: 2, workers: 8, rps: 700, concurrencyCapRps: 5_000 };
    expect(guard({ ...io, serverCores: 0.05 }).flags).toEqual([]);
    expect(guard({ ...io, serverCores: 1.9 }).flags).toEqual(["oversubscribed"]);
  });

  it("judges each side on its own CPUs when pinned", () => {
    const pinned = { ...base, logicalCpus: 2, workers: 1, placement: { loaderCpus: 1, targetCpus: 1 } };
    // The host is busy (both CPUs used), but the loader has CPU to spare: the server is the limit.
    expect(guard({ ...pinned, loaderCores: 0.7, serverCores: 0.99, hostBusyCores: 1.9 })).toEqual({
      flags: [],
      saturated: "server",
    });
    expect(guard({ ...pinned, loaderCores: 0.95, serverCores: 0.6 })).toEqual({
      flags: ["client-bound"],
      saturated: "loader",
    });
    expect(guard({ ...pinned, workers: 2 }).flags).toEqual(["oversubscribed"]);
  });
});
