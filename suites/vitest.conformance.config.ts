import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { FIRST_FILES_ENV, LAST_FILE_ENV } from "./harness/file-order.ts";

/**
 * Starts the files the CLI names first, in its order (those of the requirements others depend on, then
 * those that mostly wait), the others in vitest's own order (the slowest of earlier runs first, else
 * the largest), and the one it names last (the loads', which waits for all the others) at the end.
 * vitest hands queued files to free workers in this order, so the last file never holds a worker
 * that another file is waiting for.
 */
class RootsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const first = (process.env[FIRST_FILES_ENV] ?? "").split(",").filter((name) => name !== "");
    const rank = (file: TestSpecification) => first.findIndex((name) => file.moduleId.endsWith(name));
    const sorted = await super.sort(files);
    const last = process.env[LAST_FILE_ENV];
    const isLast = (file: TestSpecification) =>
      last !== undefined && last !== "" && file.moduleId.endsWith(last);
    const named = sorted.filter((file) => rank(file) >= 0).sort((a, b) => rank(a) - rank(b));
    return [...named, ...sorted.filter((file) => rank(file) < 0 && !isLast(file)), ...sorted.filter(isLast)];
  }
}

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
    sequence: { sequencer: RootsFirst },
    // The long waits run side by side in one file (suites/checks/registry.ts, LONG_WAITS_FILE): all
    // their cases at once, not vitest's default of 5.
    maxConcurrency: 16,
    testTimeout: 120_000,
    hookTimeout: 30_000,
    server: { deps: { inline: [new RegExp(`^${escaped}(?!node_modules/)`)] } },
  },
});
