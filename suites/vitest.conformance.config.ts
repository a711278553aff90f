import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { FILE_ORDER_ENV } from "./harness/file-order.ts";

/** Starts the files in the CLI's order, not vitest's (slowest or largest first). */
class GivenOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const order = (process.env[FILE_ORDER_ENV] ?? "").split(",");
    const rank = (file: TestSpecification) => {
      const index = order.findIndex((name) => name !== "" && file.moduleId.endsWith(name));
      return index === -1 ? order.length : index;
    };
    return [...files].sort((a, b) => rank(a) - rank(b));
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
    sequence: { sequencer: GivenOrder },
    testTimeout: 120_000,
    hookTimeout: 30_000,
    server: { deps: { inline: [new RegExp(`^${escaped}(?!node_modules/)`)] } },
  },
});
