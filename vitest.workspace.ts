import type { TestProjectConfiguration } from "vitest/config";

/**
 * The kit's test projects. Vitest 4+ no longer reads this file by itself:
 * vitest.config.ts loads it through `test.projects`.
 * - unit: pure functions, beside their sources.
 * - integration: real processes, sockets and signals on loopback.
 */
export default [
  {
    test: {
      name: "unit",
      include: ["{common,reference-server,suites,runners,reports,dashboard}/**/*.test.ts"],
      exclude: ["**/*.integration.test.ts", "**/node_modules/**"],
    },
  },
  {
    test: {
      name: "integration",
      include: ["**/*.integration.test.ts"],
      exclude: ["**/node_modules/**"],
      globalSetup: ["./scripts/vitest-build.ts"],
      testTimeout: 30_000,
      hookTimeout: 30_000,
      // Real servers on 2 cores: run files one at a time so timings stay meaningful.
      fileParallelism: false,
    },
  },
] satisfies TestProjectConfiguration[];
