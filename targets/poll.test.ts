import { expect, it } from "vitest";
import { backoffMs } from "./instance.ts";

it("polls at the given interval first, then at a tenth of the time waited, at most 250 ms apart", () => {
  expect(backoffMs(20, 0)).toBe(20);
  expect(backoffMs(20, 150)).toBe(20);
  expect(backoffMs(20, 1_000)).toBe(100);
  expect(backoffMs(20, 10_000)).toBe(250);
  expect(backoffMs(500, 1_000)).toBe(500);
});
