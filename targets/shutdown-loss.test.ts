import { describe, expect, it } from "vitest";
import { parseNetstat } from "./shutdown-loss.ts";

describe("parseNetstat", () => {
  it("reads the TcpExt counters by name", () => {
    const text = [
      "TcpExt: SyncookiesSent ListenOverflows ListenDrops TCPMigrateReqSuccess TCPMigrateReqFailure",
      "TcpExt: 0 3 5 7 1",
      "IpExt: InNoRoutes",
      "IpExt: 0",
    ].join("\n");
    expect(parseNetstat(text)).toEqual({
      SyncookiesSent: 0,
      ListenOverflows: 3,
      ListenDrops: 5,
      TCPMigrateReqSuccess: 7,
      TCPMigrateReqFailure: 1,
    });
    expect(parseNetstat("")).toEqual({});
  });
});
