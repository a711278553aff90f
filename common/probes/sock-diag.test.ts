import { expect, test } from "vitest";
import { countSsRows } from "./sock-diag.ts";

test("ss -H prints one line per connection and no header", () => {
  const rows = [
    "0      0      127.0.0.1:8080     127.0.0.1:51234",
    "0      0      [::1]:8080         [::1]:51240",
    "",
  ].join("\n");
  expect(countSsRows(rows)).toBe(2);
  expect(countSsRows("")).toBe(0);
  expect(countSsRows("\n")).toBe(0);
});
