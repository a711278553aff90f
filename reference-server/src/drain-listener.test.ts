import { describe, expect, it } from "vitest";
import { parseReport } from "./drain-listener.ts";

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
});
