import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { findPython, parseReport, unreadyReason } from "./drain-listener.ts";

describe("the listener helper's report", () => {
  it("reads the one JSON line the helper prints", () => {
    expect(parseReport('{"mode":"refuse","others":0,"queued":3,"left":0}\n')).toEqual({
      ok: true,
      mode: "refuse",
      others: 0,
      queued: 3,
      left: 0,
    });
    expect(parseReport('{"mode":"migrate","others":2,"queued":0,"left":0}')).toMatchObject({
      mode: "migrate",
      others: 2,
    });
  });

  it("refuses anything else", () => {
    for (const text of [
      "",
      "refusing",
      "null",
      '{"mode":"drop","others":0,"queued":0,"left":0}',
      '{"mode":"refuse","others":"0","queued":0,"left":0}',
      '{"mode":"refuse","others":0,"queued":0.5,"left":0}',
      '{"mode":"refuse","others":0,"queued":0}',
    ])
      expect(parseReport(text), text).toBeUndefined();
  });

  it("closes ready only when the helper ran and left nothing queued", () => {
    expect(unreadyReason({ ok: true, mode: "refuse", others: 0, queued: 40, left: 0 }, true)).toBeUndefined();
    expect(unreadyReason({ ok: true, mode: "refuse", others: 0, queued: 40, left: 7 }, true)).toBe(
      "7 connection(s) still queued when the helper returned",
    );
    expect(unreadyReason({ ok: false, error: "python3 not found" }, false)).toBe("python3 not found");
  });

  it("says when a whole stop handed a queue to siblings that close too", () => {
    const handedOn = { ok: true, mode: "migrate", others: 0, queued: 3, left: 0 } as const;
    // A worker stopped alone: its siblings go on and take the queue.
    expect(unreadyReason(handedOn, false)).toBeUndefined();
    expect(unreadyReason(handedOn, true)).toMatch(/only after it chose to hand its queue/);
    // The next instance shares the port: handing the queue to it is the point, whatever is queued.
    expect(unreadyReason({ ...handedOn, others: 2 }, true)).toBeUndefined();
    expect(unreadyReason({ ...handedOn, others: 2, left: 47 }, true)).toBeUndefined();
    expect(unreadyReason({ ...handedOn, left: 5 }, false)).toBeUndefined();
  });
});

describe("the interpreter the helper runs on", () => {
  const dir = (name: string, content: "script" | "program") => {
    const path = mkdtempSync(join(tmpdir(), `bustbench-${name}-`));
    if (content === "script") writeFileSync(join(path, "python3"), '#!/bin/sh\nexec python3 "$@"\n');
    else symlinkSync(process.execPath, join(path, "python3"));
    chmodSync(join(path, "python3"), 0o755);
    return path;
  };

  it("is the first python3 on PATH that is a program, past a version manager's shim", () => {
    const shim = dir("shim", "script");
    const real = dir("real", "program");
    expect(findPython([shim, "/no/such/dir", real].join(delimiter))).toBe(join(real, "python3"));
  });

  it("is plain python3 where every one on PATH is a script, or there is none", () => {
    expect(findPython(dir("shim", "script"))).toBe("python3");
    expect(findPython("/no/such/dir")).toBe("python3");
  });
});
