/**
 * The published shapes of the continuous-benchmarking formats the kit writes, as JSON Schemas: what its
 * unit test checks the renderers against, and what scripts/check-exports.ts checks a written file against.
 */
/** Bencher Metric Format's published JSON Schema (https://bencher.dev/docs/reference/bencher-metric-format). */
export const BMF_SCHEMA = {
  $id: "https://bencher.dev/bmf.json",
  type: "object",
  patternProperties: {
    ".+": {
      type: "object",
      patternProperties: {
        ".+": {
          type: "object",
          properties: {
            value: { type: "number" },
            lower_value: { type: "number" },
            upper_value: { type: "number" },
          },
          required: ["value"],
        },
      },
    },
  },
};

/**
 * github-action-benchmark's custom JSON: an array of its BenchmarkResult (name, value, unit required; range
 * and extra strings), what its `customBiggerIsBetter` and `customSmallerIsBetter` tools read.
 */
export const GITHUB_BENCHMARK_SCHEMA = {
  type: "array",
  items: {
    type: "object",
    properties: {
      name: { type: "string", minLength: 1 },
      value: { type: "number" },
      unit: { type: "string", minLength: 1 },
      range: { type: "string" },
      extra: { type: "string" },
    },
    required: ["name", "value", "unit"],
    additionalProperties: false,
  },
};
