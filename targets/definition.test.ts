import { describe, expect, it } from "vitest";
import { routePath } from "./definition.ts";

describe("routePath", () => {
  const target = { name: "t", routes: { root: "/", json: "/json", io: "/io?ms={ms}&x=1" } };

  it("fills the wait of the io route and leaves the others as written", () => {
    expect(routePath(target, "io", 25)).toBe("/io?ms=25&x=1");
    expect(routePath(target, "json", 25)).toBe("/json");
  });

  it("names the target when the route is not declared", () => {
    expect(() => routePath({ name: "bare", routes: { root: "/", json: "/j" } }, "io", 5)).toThrow(
      "bare declares no io route",
    );
  });
});
