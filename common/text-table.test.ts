import { describe, expect, it } from "vitest";
import { textTable } from "./text-table.ts";

describe("textTable", () => {
  it("pads columns, right-aligns numbers and trims line ends", () => {
    expect(
      textTable(
        ["name", { header: "rps", align: "right" }, "note"],
        [
          ["reference", "71,361", ""],
          ["bare", "9", "noisy"],
        ],
        { indent: " " },
      ),
    ).toEqual([" name          rps  note", " reference  71,361", " bare            9  noisy"]);
  });

  it("clips the last column to the width and can leave the header out", () => {
    const lines = textTable(["a", "text"], [["x", "a".repeat(50)]], { width: 30, header: false });
    expect(lines).toEqual([`x  ${"a".repeat(26)}…`]);
    expect(lines[0]?.length).toBe(30);
  });
});
