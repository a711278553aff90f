import { describe, expect, it } from "vitest";
import { renderBanner } from "./banner.ts";

describe("renderBanner", () => {
  const banner = renderBanner({
    title: "bustbench reference v0.1.0",
    url: "http://127.0.0.1:5000",
    fields: [
      ["Handlers", 3],
      ["Processes", 4],
      ["Primary PID", 123456],
    ],
  });
  const lines = banner.split("\n");

  it("draws a closed box whose lines all have the same width", () => {
    expect(lines[0]).toMatch(/^┌─+┐$/);
    expect(lines.at(-1)).toMatch(/^└─+┘$/);
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
    for (const line of lines.slice(1, -1)) expect(line).toMatch(/^│.*│$/);
  });

  it("shows every field with dot leaders, two per row", () => {
    expect(lines[3]).toContain("Handlers ............. 3   Processes ............ 4");
    expect(lines[4]).toContain("Primary PID ..... 123456");
  });

  it("centres the title and the URL", () => {
    for (const [line, text] of [
      [lines[1] ?? "", "bustbench reference v0.1.0"],
      [lines[2] ?? "", "http://127.0.0.1:5000"],
    ] as const) {
      const inner = line.slice(1, -1);
      const left = inner.indexOf(text);
      const right = inner.length - left - text.length;
      expect(left).toBeGreaterThan(0);
      expect(Math.abs(left - right)).toBeLessThanOrEqual(1);
    }
  });

  it("grows to fit a long URL", () => {
    const wide = renderBanner({ title: "t", url: `http://${"a".repeat(80)}:1`, fields: [] });
    expect(wide.split("\n")[2]).toContain(`http://${"a".repeat(80)}:1`);
  });
});
