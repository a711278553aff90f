import { copyFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Every program the kit runs as a separate process, bundled to one file each:
 * one file means no module resolution at start-up, and the worker's code path
 * holds only what it imports.
 */
export const ENTRY_POINTS = {
  "reference-server/cli": "reference-server/src/cli.ts",
  "suites/fixtures/round-robin-server": "suites/fixtures/round-robin-server.ts",
  "suites/fixtures/bare-http-server": "suites/fixtures/bare-http-server.ts",
  "cli/bustbench": "cli/bustbench.ts",
  "runners/constant-rate-worker": "runners/loaders/constant-rate-worker.ts",
  // The reference with one deliberate fault, for the mutant tests: never published (package.json "files").
  "test/reference-mutant": "reference-server/test/mutants/cli.ts",
} as const;

/**
 * The listener helper a reference worker runs at shutdown (reference-server/src/drain-listener.ts), one
 * level up from every bundle that runs a reference worker.
 */
export const ASSETS = {
  "listener-helper/drain-listener.py": "reference-server/listener-helper/drain-listener.py",
} as const;

/**
 * Node's builtin modules through `process.getBuiltinModule`, not an ESM import. For an `import` of a
 * builtin, Node builds an ESM module of it by reading every export, which loads what its lazy getters
 * hide (undici for node:http, webcrypto for node:crypto): alone, the eleven builtins a reference worker
 * imports cost 0.055 CPU s that way against 0.026 through getBuiltinModule (a worker's flags, 8 of 12
 * runs each); a reference worker reached its listening socket after 156 ms of CPU before, 148 ms after
 * (6 starts each), in each of the some 85 processes a conformance run starts. Each builtin becomes a
 * CommonJS module of the bundle, whose names are read where they are used. The sources keep plain
 * imports.
 */
const builtinsWithoutNamespaces: esbuild.Plugin = {
  name: "builtins-without-namespaces",
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: "builtin" }));
    build.onLoad({ filter: /.*/, namespace: "builtin" }, (args) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(args.path)});`,
      loader: "js",
    }));
  },
};

export async function build(): Promise<void> {
  const programs = esbuild.build({
    absWorkingDir: root,
    entryPoints: Object.entries(ENTRY_POINTS).map(([out, input]) => ({ in: input, out })),
    outdir: "dist",
    bundle: true,
    // npm packages (vitest, ajv...) are loaded from node_modules, not copied in.
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node22",
    sourcemap: "linked",
    banner: { js: "#!/usr/bin/env node" },
    plugins: [builtinsWithoutNamespaces],
    logLevel: "warning",
  });
  // The dashboard: one browser bundle with chart.js, inlined into the report page by `bustbench report`.
  const dashboard = esbuild.build({
    absWorkingDir: root,
    entryPoints: ["dashboard/src/main.ts"],
    outfile: "dist/dashboard/app.js",
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2022",
    minify: true,
    legalComments: "none",
    logLevel: "warning",
  });
  await Promise.all([programs, dashboard]);
  // Files the programs read beside themselves at run time.
  for (const [out, input] of Object.entries(ASSETS)) {
    await mkdir(dirname(`${root}/dist/${out}`), { recursive: true });
    await copyFile(`${root}/${input}`, `${root}/dist/${out}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build();
