import { describe, expect, it } from "vitest";
import { kitRoot } from "../common/paths.ts";
import { importCycles, layerViolations } from "./layers.ts";

describe("the kit's layers", () => {
  it("no source imports a layer above its own", () => {
    expect(layerViolations(kitRoot())).toEqual([]);
  });

  it("no source file imports itself through others", () => {
    expect(importCycles(kitRoot())).toEqual([]);
  });
});
