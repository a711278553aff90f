import { describe, expect, it } from "vitest";
import type { ListeningSocket } from "../common/probes/procfs.ts";
import { classifyRoles, ownership, servingPids, type TreeProcess } from "./roles.ts";

const proc = (pid: number, ppid: number, cmd = `p${pid}`): TreeProcess => ({ pid, ppid, cmdline: [cmd] });
const socket = (inode: number, ...holders: number[]): ListeningSocket => ({
  inode,
  family: 4,
  address: "127.0.0.1",
  port: 5000,
  acceptQueue: 0,
  holders,
});

describe("classifyRoles", () => {
  it("a primary and workers that each bind the port (the reference)", () => {
    const tree = [proc(10, 1), proc(11, 10), proc(12, 10)];
    const model = classifyRoles(10, tree, [socket(1, 11), socket(2, 12)]);
    expect(model).toMatchObject({
      primaryPid: 10,
      launchers: [],
      workers: [11, 12],
      helpers: [],
      nested: [],
    });
    expect(model.rows.map((r) => [r.pid, r.role, r.listening])).toEqual([
      [10, "primary", []],
      [11, "worker", [1]],
      [12, "worker", [2]],
    ]);
  });

  it("Python's forkserver: a resource tracker and a fork server whose children are the workers", () => {
    const tree = [proc(10, 1), proc(20, 10, "resource_tracker"), proc(21, 10, "forkserver")];
    tree.push(proc(30, 21), proc(31, 21), proc(32, 21), proc(33, 21));
    const sockets = [socket(1, 30), socket(2, 31), socket(3, 32), socket(4, 33)];
    const model = classifyRoles(10, tree, sockets);
    expect(model).toMatchObject({ primaryPid: 10, workers: [30, 31, 32, 33], helpers: [20, 21] });
  });

  it("launchers above the primary: processes that serve nothing and have one child", () => {
    const tree = [
      proc(5, 1, "sh"),
      proc(6, 5, "timeout"),
      proc(10, 6),
      proc(20, 10),
      proc(11, 10),
      proc(12, 10),
    ];
    const model = classifyRoles(5, tree, [socket(1, 11), socket(2, 12)]);
    expect(model).toMatchObject({ launchers: [5, 6], primaryPid: 10, workers: [11, 12], helpers: [20] });
  });

  it("stops at a primary with a single worker", () => {
    const model = classifyRoles(5, [proc(5, 1), proc(10, 5), proc(11, 10)], [socket(1, 11)]);
    expect(model).toMatchObject({ launchers: [5], primaryPid: 10, workers: [11] });
  });

  it("a primary that serves beside its children, under a launcher: two layers serve", () => {
    const tree = [proc(5, 1, "sh"), proc(10, 5), proc(11, 10), proc(12, 10)];
    const model = classifyRoles(5, tree, [socket(1, 10), socket(2, 11), socket(3, 12)]);
    expect(model).toMatchObject({ launchers: [5], primaryPid: 10, workers: [11, 12] });
    expect(model.nested).toEqual([
      { ancestor: 10, descendant: 11 },
      { ancestor: 10, descendant: 12 },
    ]);
    expect(servingPids(model)).toEqual([10, 11, 12]);
  });

  it("a listening primary whose children inherited its socket and bound their own is nested too", () => {
    const tree = [proc(10, 1), proc(11, 10), proc(12, 10)];
    const model = classifyRoles(10, tree, [socket(1, 10, 11, 12), socket(2, 11), socket(3, 12)]);
    expect(model.nested).toEqual([
      { ancestor: 10, descendant: 11 },
      { ancestor: 10, descendant: 12 },
    ]);
  });

  it("an inherited listener is shared, not nested", () => {
    const tree = [proc(10, 1), proc(11, 10), proc(12, 10)];
    const model = classifyRoles(10, tree, [socket(1, 10, 11, 12)]);
    expect(model).toMatchObject({ primaryPid: 10, workers: [11, 12], nested: [] });
  });

  it("round-robin workers serve through accepted connections, not a socket of their own", () => {
    const tree = [proc(10, 1), proc(11, 10), proc(12, 10), proc(13, 10)];
    const accepted = new Map([
      [11, 3],
      [12, 2],
    ]);
    const model = classifyRoles(10, tree, [socket(1, 10)], accepted);
    expect(model).toMatchObject({ primaryPid: 10, workers: [11, 12], helpers: [13], nested: [] });
    expect(model.rows.find((r) => r.pid === 11)?.accepted).toBe(3);
  });

  it("one serving process under a launcher is the only serving pid", () => {
    const model = classifyRoles(5, [proc(5, 1, "sh"), proc(10, 5), proc(20, 10)], [socket(1, 10)]);
    expect(servingPids(model)).toEqual([10]);
    expect(model.helpers).toEqual([20]);
  });

  it("names holders outside the launch", () => {
    const model = classifyRoles(10, [proc(10, 1), proc(11, 10)], [socket(1, 11), socket(2, 99)]);
    expect(model.outsiders).toEqual([99]);
  });

  it("copes with a started process that is gone", () => {
    const model = classifyRoles(10, [], []);
    expect(model).toMatchObject({ primaryPid: 10, workers: [], helpers: [], rows: [] });
  });
});

describe("ownership", () => {
  it("one socket per worker", () => {
    const own = ownership([socket(1, 11), socket(2, 12)], [11, 12], 10);
    expect(own).toMatchObject({ workersWithout: [], workersWithSeveral: [], shared: [], heldByPrimary: 0 });
  });

  it("an inherited listener held by the primary and every worker", () => {
    const own = ownership([socket(1, 10, 11, 12)], [11, 12], 10);
    expect(own.shared).toEqual([{ inode: 1, holders: [10, 11, 12] }]);
    expect(own.heldByPrimary).toBe(1);
    expect(own.workersWithout).toEqual([11, 12]);
  });

  it("a worker with two sockets, one without, and a foreign holder", () => {
    const own = ownership([socket(1, 11), socket(2, 11), socket(3, 77)], [11, 12], 10);
    expect(own).toMatchObject({ workersWithSeveral: [11], workersWithout: [12], foreign: [77] });
  });
});
