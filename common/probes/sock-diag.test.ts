import { expect, test } from "vitest";
import { parseSsRows } from "./sock-diag.ts";

// `ss -H -t -n -e state all exclude time-wait '( sport = :41995 )'`, iproute2 6.1, as root.
const OUTPUT = [
  "LISTEN     1      8      127.0.0.1:41995   0.0.0.0:*     ino:23444239 sk:4de7 cgroup:/ <->     ",
  "FIN-WAIT-2 0      0      127.0.0.1:41995 127.0.0.1:42782 timer:(timewait,59sec,0) ino:0 sk:4de8",
  "ESTAB      5      0      127.0.0.1:41995 127.0.0.1:42766 ino:23444243 sk:4de9 cgroup:/ <->     ",
  "CLOSE-WAIT 0      0      [::ffff:127.0.0.1]:41995 [::ffff:127.0.0.1]:42790 uid:1000 ino:23444250 sk:4deb",
  "ESTAB      0      0      [::1]:56863 [::1]:52570 ino:0 sk:5123 cgroup:/ <->",
  "LISTEN     0      511    127.0.0.1%lo:8080   0.0.0.0:*     ino:99 sk:1",
  "ESTAB      0      0      [fe80::1%eth0]:8080 [fe80::2%eth0]:40000 ino:100 sk:2",
  "",
].join("\n");

test("reads ss's rows as /proc's: states renamed, Recv-Q as rx_queue, inode and uid from their fields", () => {
  expect(parseSsRows(OUTPUT)).toEqual([
    {
      family: 4,
      localAddress: "127.0.0.1",
      localPort: 41995,
      remoteAddress: "0.0.0.0",
      remotePort: 0,
      state: "LISTEN",
      rxQueue: 1,
      uid: 0,
      inode: 23444239,
    },
    {
      family: 4,
      localAddress: "127.0.0.1",
      localPort: 41995,
      remoteAddress: "127.0.0.1",
      remotePort: 42782,
      state: "FIN_WAIT2",
      rxQueue: 0,
      uid: 0,
      inode: 0,
    },
    {
      family: 4,
      localAddress: "127.0.0.1",
      localPort: 41995,
      remoteAddress: "127.0.0.1",
      remotePort: 42766,
      state: "ESTABLISHED",
      rxQueue: 5,
      uid: 0,
      inode: 23444243,
    },
    {
      family: 6,
      localAddress: "::ffff:127.0.0.1",
      localPort: 41995,
      remoteAddress: "::ffff:127.0.0.1",
      remotePort: 42790,
      state: "CLOSE_WAIT",
      rxQueue: 0,
      uid: 1000,
      inode: 23444250,
    },
    {
      family: 6,
      localAddress: "::1",
      localPort: 56863,
      remoteAddress: "::1",
      remotePort: 52570,
      state: "ESTABLISHED",
      rxQueue: 0,
      uid: 0,
      inode: 0,
    },
    {
      family: 4,
      localAddress: "127.0.0.1",
      localPort: 8080,
      remoteAddress: "0.0.0.0",
      remotePort: 0,
      state: "LISTEN",
      rxQueue: 0,
      uid: 0,
      inode: 99,
    },
    {
      family: 6,
      localAddress: "fe80::1",
      localPort: 8080,
      remoteAddress: "fe80::2",
      remotePort: 40000,
      state: "ESTABLISHED",
      rxQueue: 0,
      uid: 0,
      inode: 100,
    },
  ]);
});

test("leaves out TIME_WAIT rows (as /proc's parse does) and lines it cannot read", () => {
  const rows = parseSsRows(
    [
      "TIME-WAIT  0      0      127.0.0.1:41995 127.0.0.1:42800 timer:(timewait,58sec,0) ino:0 sk:4dec",
      "Cannot open netlink socket: Protocol not supported",
      "ESTAB 0 0 127.0.0.1:1 127.0.0.1:2 ino:3",
    ].join("\n"),
  );
  expect(rows.map((row) => [row.state, row.localPort, row.remotePort, row.inode])).toEqual([
    ["ESTABLISHED", 1, 2, 3],
  ]);
});
