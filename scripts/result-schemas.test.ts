import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { GENERATED, generateSchema, schemaPath } from "./result-schemas.ts";

for (const entry of GENERATED) {
  it(`${entry.kind}-${entry.version}.schema.json is generated from ${entry.type} (make schemas)`, () => {
    const written = JSON.parse(readFileSync(schemaPath(entry), "utf8")) as unknown;
    expect(written).toEqual(generateSchema(entry));
  });
}
