import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const kit = fileURLToPath(new URL("..", import.meta.url));
const escaped = kit.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The configuration `bustbench conformance` runs the checks with. Unlike the
 * workspace's conformance project it builds nothing (the package ships dist/),
 * and it works when the kit is installed under node_modules: the checks are
 * TypeScript that Vite must transform there, so they are inlined rather than
 * left to Node, and node_modules is not excluded.
 */
export default defineConfig({
  root: kit,
  test: {
    include: ["suites/checks/**/*.check.ts", "suites/checks/groups/*.group.ts"],
    exclude: [],
    // One server at a time: the checks count processes and sockets, and time shutdowns.
    fileParallelism: false,
    isolate: false,
    testTimeout: 120_000,
    hookTimeout: 30_000,
    server: { deps: { inline: [new RegExp(`^${escaped}(?!node_modules/)`)] } },
  },
});
