import { describe, expect, it } from "vitest";
import { unmetNeed } from "./host-support.ts";

describe("unmetNeed", () => {
  const linux = { platform: "linux", proc: true, signals: true };
  const mac = { platform: "darwin", proc: false, signals: true };
  const windows = { platform: "win32", proc: false, signals: false };

  it("runs everything on Linux with /proc", () => {
    expect(unmetNeed(["proc", "linux", "signals"], linux)).toBeUndefined();
  });

  it("gives the first unmet need's reason", () => {
    expect(unmetNeed(["proc", "linux"], mac)).toBe("needs Linux /proc (process and socket probes)");
    expect(unmetNeed(["linux"], mac)).toBe(
      "the multi-process contract is Linux's (SO_REUSEPORT); this host is darwin",
    );
    expect(unmetNeed(["signals"], mac)).toBeUndefined();
    expect(unmetNeed(["signals"], windows)).toBe(
      "POSIX signals do not exist on Windows (Node can only terminate a process there)",
    );
  });

  it("needs nothing when a check asks for nothing", () => {
    expect(unmetNeed([], windows)).toBeUndefined();
  });
});
