import { describe, expect, it } from "vitest";
import { RouteError } from "./app.ts";
import { IO_MAX_MS, ioWaitMs } from "./quickstart.ts";

describe("ioWaitMs", () => {
  it("reads ms among other parameters", () => {
    expect(ioWaitMs("ms=20")).toBe(20);
    expect(ioWaitMs("a=1&ms=0")).toBe(0);
    expect(ioWaitMs(`ms=${IO_MAX_MS}`)).toBe(IO_MAX_MS);
  });

  it.each(["", "ms=", "ms=-1", "ms=1.5", "ms=abc", `ms=${IO_MAX_MS + 1}`, "ms=1e3"])(
    "refuses %j with a 400",
    (query) => {
      let thrown: unknown;
      try {
        ioWaitMs(query);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(RouteError);
      expect((thrown as RouteError).status).toBe(400);
    },
  );
});
