import { describe, expect, it } from "vitest";
import {
  decodeAddress,
  firstRowNotListening,
  parseCpuTotals,
  parseRunQueueWaitMs,
  parseSmapsRollup,
  parseStat,
  parseTcpSocketCount,
  parseTcpTable,
  parseTimeWait,
  parseVmHwmBytes,
  parseVmRssBytes,
  socketInode,
} from "./proc-parse.ts";

describe("parseStat", () => {
  it("reads a comm with spaces and parentheses", () => {
    const text =
      "4242 (Main (Thread) x) S 4240 4240 4100 34816 4240 4194560 1000 0 0 0 25 7 0 0 20 0 11 0 987654 1234567 2560 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0";
    expect(parseStat(text)).toEqual({
      pid: 4242,
      comm: "Main (Thread) x",
      state: "S",
      ppid: 4240,
      pgid: 4240,
      sid: 4100,
      utimeTicks: 25,
      stimeTicks: 7,
      startTicks: 987654,
      rssPages: 2560,
    });
  });

  it("refuses truncated text", () => {
    expect(parseStat("12 (x) S 1 2")).toBeUndefined();
    expect(parseStat("")).toBeUndefined();
  });
});

describe("firstRowNotListening", () => {
  const header =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
  const listen =
    "   0: 0100007F:13EB 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 3995 1\n";
  const established =
    "   1: 0100007F:13EB 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 4001 1\n";
  it("ends the LISTEN rows at the first row in another state", () => {
    const text = header + listen + established + listen;
    expect(firstRowNotListening(text)).toBe(header.length + listen.length);
  });

  it("needs a whole row to decide: a cut row, or only LISTEN rows, leave it open", () => {
    expect(firstRowNotListening(header + listen)).toBeUndefined();
    expect(firstRowNotListening(header + listen + established.slice(0, 30))).toBeUndefined();
    expect(firstRowNotListening(header)).toBeUndefined();
  });
});

describe("parseTcpTable", () => {
  const header =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
  it("reads IPv4 LISTEN and ESTABLISHED rows", () => {
    const text = [
      header,
      "   0: 0100007F:13EB 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 3995 1 0000000000000000 100 0 0 10 0",
      "   1: 0100007F:13EB 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 4001 1 0000000000000000 20 4 30 10 -1",
      "",
    ].join("\n");
    expect(parseTcpTable(text, 4)).toEqual([
      {
        family: 4,
        localAddress: "127.0.0.1",
        localPort: 5099,
        remoteAddress: "0.0.0.0",
        remotePort: 0,
        state: "LISTEN",
        rxQueue: 3,
        uid: 0,
        inode: 3995,
      },
      {
        family: 4,
        localAddress: "127.0.0.1",
        localPort: 5099,
        remoteAddress: "127.0.0.1",
        remotePort: 50000,
        state: "ESTABLISHED",
        rxQueue: 0,
        uid: 1000,
        inode: 4001,
      },
    ]);
  });

  it("leaves out TIME_WAIT rows, whatever the width of the row number", () => {
    const v4 = [
      header,
      "   1: 0100007F:76E6 0100007F:8C42 06 00000000:00000000 03:00000A07 00000000     0        0 0 3 00000000d70afa13",
      "12345: 0100007F:76E6 0100007F:8C43 06 00000000:00000000 03:00000A07 00000000     0        0 0 3 00000000d70afa13",
      "12346: 0100007F:76E6 0100007F:8C44 01 00000000:00000000 00:00000000 00000000     0        0 4002 1 0000000000000000 20 4 30 10 -1",
    ].join("\n");
    expect(parseTcpTable(v4, 4).map((row) => [row.state, row.remotePort])).toEqual([["ESTABLISHED", 0x8c44]]);
    const v6 = [
      header,
      "   0: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:D431 06 00000000:00000000 03:00000A07 00000000     0        0 0 3 0000000000000000",
      "   1: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4003 1 0000000000000000 100 0 0 10 0",
    ].join("\n");
    expect(parseTcpTable(v6, 6).map((row) => [row.state, row.localAddress])).toEqual([["LISTEN", "::1"]]);
  });
});

describe("decodeAddress", () => {
  it.each([
    ["0100007F", "127.0.0.1"],
    ["00000000", "0.0.0.0"],
    ["00000000000000000000000001000000", "::1"],
    ["00000000000000000000000000000000", "::"],
    ["0000000000000000FFFF00000100007F", "::ffff:127.0.0.1"],
    ["B80D0120000000000000000001000000", "2001:db8::1"],
  ])("%s -> %s", (hex, address) => {
    expect(decodeAddress(hex)).toBe(address);
  });
});

describe("small readers", () => {
  it("finds a socket inode in an fd link", () => {
    expect(socketInode("socket:[98765]")).toBe(98765);
    expect(socketInode("pipe:[98765]")).toBeUndefined();
    expect(socketInode("/dev/null")).toBeUndefined();
  });

  it("reads VmRSS in bytes", () => {
    expect(parseVmRssBytes("Name:\tnode\nVmRSS:\t   41232 kB\nThreads: 7\n")).toBe(41232 * 1024);
    expect(parseVmRssBytes("Name:\tkthreadd\n")).toBeUndefined();
  });
});

describe("CPU and memory totals", () => {
  it("reads the aggregate cpu line", () => {
    const stat = "cpu  100 5 50 800 20 3 2 1 0 0\ncpu0 50 2 25 400 10 1 1 0 0 0\nintr 1 2 3\n";
    expect(parseCpuTotals(stat)).toEqual({ busyTicks: 161, totalTicks: 981 });
    expect(parseCpuTotals("intr 1\n")).toBeUndefined();
  });

  it("reads VmHWM in bytes", () => {
    expect(parseVmHwmBytes("VmHWM:\t   51200 kB\nVmRSS:\t 40000 kB\n")).toBe(51200 * 1024);
  });
});

describe("parseRunQueueWaitMs", () => {
  it("reads the run-queue wait, the second field, in ms", () => {
    expect(parseRunQueueWaitMs("140456681 32742768 33\n")).toBeCloseTo(32.742768, 6);
  });
  it("refuses text that is not three numbers", () => {
    expect(parseRunQueueWaitMs("")).toBeUndefined();
    expect(parseRunQueueWaitMs("1 2")).toBeUndefined();
    expect(parseRunQueueWaitMs("1 x 3")).toBeUndefined();
  });
});

describe("parseSmapsRollup", () => {
  it("reads RSS, PSS and USS (private clean + private dirty)", () => {
    const text = [
      "55a6918f2000-7ffe785ad000 ---p 00000000 00:00 0                          [rollup]",
      "Rss:                1724 kB",
      "Pss:                 837 kB",
      "Pss_Dirty:           112 kB",
      "Shared_Clean:       1332 kB",
      "Private_Clean:       280 kB",
      "Private_Dirty:       112 kB",
    ].join("\n");
    expect(parseSmapsRollup(text)).toEqual({
      rssBytes: 1724 * 1024,
      pssBytes: 837 * 1024,
      ussBytes: 392 * 1024,
    });
    expect(parseSmapsRollup("Rss: 1 kB")).toBeUndefined();
  });
});

describe("parseTimeWait", () => {
  it("reads the tw count of the TCP line, not the TCP6 one", () => {
    const sockstat = [
      "sockets: used 94",
      "TCP: inuse 5 orphan 0 tw 14181 alloc 19 mem 3",
      "UDP: inuse 0 mem 0",
      "",
    ].join("\n");
    expect(parseTimeWait(sockstat)).toBe(14181);
    expect(parseTimeWait("TCP6: inuse 1\n")).toBeUndefined();
  });
});

describe("parseTcpSocketCount", () => {
  it("adds the TCP line's sockets in use and in TIME_WAIT: about the rows /proc/net/tcp prints", () => {
    const sockstat =
      "sockets: used 94\nTCP: inuse 52 orphan 102 tw 14181 alloc 103 mem 77\nUDP: inuse 0 mem 0\n";
    expect(parseTcpSocketCount(sockstat)).toBe(14233);
    expect(parseTcpSocketCount("TCP: inuse 5 orphan 0 alloc 19 mem 3\n")).toBeUndefined();
    expect(parseTcpSocketCount("")).toBeUndefined();
  });
});
