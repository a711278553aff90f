import { describe, expect, it } from "vitest";
import { kitRoot } from "../common/paths.ts";
import { missingFileReferences } from "./file-references.ts";

describe("file references", () => {
  it("every path of the kit that a source or a document names is a file of the kit", () => {
    expect(missingFileReferences(kitRoot())).toEqual([]);
  });
});
