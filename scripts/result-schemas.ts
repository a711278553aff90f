import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createGenerator } from "ts-json-schema-generator";
import { BENCH_SCHEMA_VERSION } from "../results/bench.ts";
import { CONFORMANCE_SCHEMA_VERSION } from "../results/conformance.ts";
import { LIFECYCLE_SCHEMA_VERSION } from "../results/lifecycle.ts";

/**
 * The JSON schemas of the result files the kit writes now, generated from their TypeScript types
 * (the types are the contract; a schema written beside them drifted). `make schemas` writes them;
 * a unit test fails when one is stale. Older versions (every version 1 and 2) are frozen files:
 * no type describes them any more, and files written then must keep loading.
 */
interface Generated {
  kind: "bench" | "conformance" | "lifecycle";
  version: number;
  /** The root type and the module that exports it. */
  type: string;
  source: string;
  title: string;
}

export const GENERATED: readonly Generated[] = [
  {
    kind: "bench",
    version: BENCH_SCHEMA_VERSION,
    type: "BenchResult",
    source: "results/bench.ts",
    title: "bustbench benchmark results",
  },
  {
    kind: "conformance",
    version: CONFORMANCE_SCHEMA_VERSION,
    type: "ConformanceReport",
    source: "results/conformance.ts",
    title: "bustbench conformance report",
  },
  {
    kind: "lifecycle",
    version: LIFECYCLE_SCHEMA_VERSION,
    type: "LifecycleResult",
    source: "results/lifecycle.ts",
    title: "bustbench lifecycle results",
  },
];

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

export function schemaPath(entry: Generated): string {
  return root(`results/schemas/${entry.kind}-${entry.version}.schema.json`);
}

export function generateSchema(entry: Generated): Record<string, unknown> {
  const schema = createGenerator({
    path: root(entry.source),
    tsconfig: root("tsconfig.json"),
    type: entry.type,
    topRef: false,
    // The type checker is tsc's job (make typecheck); the generator only reads the declarations.
    skipTypeCheck: true,
    additionalProperties: false,
  }).createSchema(entry.type) as Record<string, unknown>;
  const properties = schema.properties as Record<string, unknown>;
  // The reader's type takes every version it loads; this file describes the version written now.
  properties.schemaVersion = { const: entry.version };
  const { $schema, ...rest } = schema;
  return {
    $schema,
    $id: `https://bustbench.dev/schemas/${entry.kind}-${entry.version}.json`,
    title: `${entry.title}, schema version ${entry.version}`,
    $comment: `generated from ${entry.type} in ${entry.source} by \`make schemas\`: edit the type, not this file`,
    ...rest,
  };
}

if (process.argv[1]?.endsWith("result-schemas.ts")) {
  const paths = GENERATED.map((entry) => {
    const path = schemaPath(entry);
    writeFileSync(path, `${JSON.stringify(generateSchema(entry), null, 2)}\n`);
    return path;
  });
  // The same layout biome keeps for every other JSON file of the kit.
  execFileSync("biome", ["format", "--write", ...paths], { stdio: "inherit" });
  console.log(`wrote ${paths.length} schemas`);
}
