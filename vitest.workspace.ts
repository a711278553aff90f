import type { TestProjectConfiguration } from "vitest/config";

/**
 * The kit's test projects. Vitest 4+ no longer reads this file by itself:
 * vitest.config.ts loads it through `test.projects`.
 * - unit: pure functions, beside their sources.
 * - integration: real processes, sockets and signals on loopback.
 * Both run the leftover audit at their end (scripts/vitest-leftovers.ts), and keep their temporary
 *   files in one folder removed at their end (scripts/vitest-tmpdir.ts).
 * - conformance: the checks themselves, run against the manifest named by
 *   BUSTBENCH_TARGET (the reference by default). `bustbench conformance` runs
 *   this project with its own reporter; `vitest --project conformance` works too.
 */
export default [
  {
    test: {
      name: "unit",
      include: [
        "{common,targets,results,reference-server,suites,runners,reports,dashboard,cli,scripts}/**/*.test.ts",
      ],
      // Stress and browser tests have projects of their own (they ran here twice before).
      exclude: [
        "**/*.integration.test.ts",
        "**/*.stress.test.ts",
        "**/*.browser.test.ts",
        "**/node_modules/**",
      ],
      globalSetup: ["./scripts/vitest-tmpdir.ts"],
      // A bound for a test that hangs, not a speed: generating a result schema takes 1 s on an idle
      // 2-core host and 9 s beside a CPU hog on each core, past vitest's default of 5 s.
      testTimeout: 60_000,
    },
  },
  {
    test: {
      name: "integration",
      include: ["**/*.integration.test.ts"],
      exclude: ["**/node_modules/**"],
      globalSetup: [
        "./scripts/vitest-build.ts",
        "./scripts/vitest-leftovers.ts",
        "./scripts/vitest-tmpdir.ts",
      ],
      testTimeout: 300_000,
      hookTimeout: 30_000,
      // Real servers on 2 cores: run files one at a time so timings stay meaningful;
      // within a file, at most 3 concurrent tests (the mutant runs).
      fileParallelism: false,
      maxConcurrency: 3,
    },
  },
  {
    test: {
      name: "stress",
      include: ["**/*.stress.test.ts"],
      exclude: ["**/node_modules/**"],
      globalSetup: [
        "./scripts/vitest-build.ts",
        "./scripts/vitest-leftovers.ts",
        "./scripts/vitest-tmpdir.ts",
      ],
      fileParallelism: false,
      testTimeout: 120_000,
    },
  },
  {
    test: {
      name: "dashboard",
      include: ["dashboard/test/**/*.browser.test.ts"],
      globalSetup: [
        "./scripts/vitest-build.ts",
        "./scripts/vitest-leftovers.ts",
        "./scripts/vitest-tmpdir.ts",
      ],
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  },
  {
    test: {
      name: "conformance",
      include: ["suites/checks/**/*.check.ts"],
      globalSetup: ["./scripts/vitest-build.ts"],
      // One server at a time: the checks count processes and sockets, and time shutdowns.
      fileParallelism: false,
      testTimeout: 120_000,
      hookTimeout: 30_000,
    },
  },
] satisfies TestProjectConfiguration[];
