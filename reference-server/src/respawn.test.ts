import { describe, expect, it } from "vitest";
import { respawnDelayMs } from "./respawn.ts";

describe("respawnDelayMs", () => {
  it("replaces a first death at once", () => {
    expect(respawnDelayMs([1_000], 1_000)).toBe(0);
  });

  it("doubles the wait for each further death in the window", () => {
    const now = 10_000;
    expect(respawnDelayMs([now - 3, now], now)).toBe(100);
    expect(respawnDelayMs([now - 3, now - 2, now], now)).toBe(200);
    expect(respawnDelayMs([now - 4, now - 3, now - 2, now], now)).toBe(400);
  });

  it("caps the wait so a crash loop settles", () => {
    const now = 50_000;
    const deaths = Array.from({ length: 30 }, (_, i) => now - i);
    expect(respawnDelayMs(deaths, now)).toBe(10_000);
  });

  it("forgets deaths older than the window", () => {
    expect(respawnDelayMs([0, 1, 2, 120_000], 120_000)).toBe(0);
  });
});
