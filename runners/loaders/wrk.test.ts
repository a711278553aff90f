import { describe, expect, it } from "vitest";
import { parseWrkOutput } from "./wrk.ts";

describe("parseWrkOutput", () => {
  it("reads the script's summary line into the common shape", () => {
    const stdout = [
      "Running 6s test @ http://127.0.0.1:5000/",
      "  1 threads and 50 connections",
      'BUSTBENCH {"requests":120000,"durationUs":6000000,"bytes":18000000,"connect":0,"read":2,"write":0,"status":5,"timeout":1,"p50":350,"p90":700,"p99":1500,"p999":4200,"max":9000}',
    ].join("\n");
    expect(parseWrkOutput(stdout, 5.5)).toEqual({
      requests: 120000,
      durationS: 6,
      rps: 20000,
      bytes: 18000000,
      errors: 2,
      timeouts: 1,
      non2xx: 5,
      latencyMs: { p50: 0.35, p90: 0.7, p99: 1.5, p999: 4.2, max: 9, count: 120000 },
      latencyResolutionMs: 0.001,
      loaderCpuSeconds: 5.5,
    });
  });

  it("says what wrk printed when the summary is missing", () => {
    expect(() => parseWrkOutput("unable to connect to 127.0.0.1:1 Connection refused\n", 0)).toThrow(
      "wrk printed no summary: unable to connect to 127.0.0.1:1 Connection refused",
    );
  });
});
