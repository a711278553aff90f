import { describe, expect, it } from "vitest";
import { KIT_LATE_MS, lossCategory } from "./keepalive-load.ts";
import { idleBoundMs, LoopWatch } from "./loop-watch.ts";

describe("idleBoundMs", () => {
  it("is null for a connection's first request", () => {
    expect(idleBoundMs(1_000, undefined)).toBeNull();
  });

  it("runs from the loop's turn before the read when the loop was busy after the send", () => {
    // Request sent at 100, the loop's turn before the read at 150, the next request at 420.
    expect(idleBoundMs(420, { sentAt: 100, loopTurnBeforeRead: 150 })).toBe(270);
  });

  it("never starts before the previous request was sent (its answer cannot come earlier)", () => {
    expect(idleBoundMs(130, { sentAt: 100, loopTurnBeforeRead: 40 })).toBe(30);
  });
});

describe("lossCategory", () => {
  it("counts a timeout against the server, however late the kit sent", () => {
    expect(lossCategory(true, 5_000, true, true)).toBe("timeout");
  });

  it("sets apart a loss the kit sent late on an idle connection accepted before the event", () => {
    expect(lossCategory(false, KIT_LATE_MS, true, true)).toBe("kitLate");
    // Connections opened after the event are judged (RESPAWN-2) or not (SIGNAL-5) as before.
    expect(lossCategory(false, KIT_LATE_MS * 3, false, false)).toBe("new");
  });

  it("counts a prompt request, or a connection's first, by when the connection was opened", () => {
    expect(lossCategory(false, KIT_LATE_MS - 1, true, true)).toBe("accepted");
    expect(lossCategory(false, null, true, true)).toBe("accepted");
    expect(lossCategory(false, null, false, true)).toBe("eventWindow");
    expect(lossCategory(false, 2, false, false)).toBe("new");
  });
});

describe("LoopWatch", () => {
  it("places a response read after a blocked loop no later than the turn before the block", async () => {
    const watch = new LoopWatch(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const beforeBlock = performance.now();
    const until = beforeBlock + 60;
    while (performance.now() < until) {
      // the loop is blocked, as on a starved host
    }
    // The first turn after the block runs the watch's timer, then reads what waited.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(watch.arrivedNoEarlierThan()).toBeLessThanOrEqual(beforeBlock);
    watch.stop();
  });
});
