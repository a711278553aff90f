import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { RuntimeError } from "../../common/errors.ts";
import { MINIMUM_NODE, supportsReusePort } from "../../common/node-version.ts";
import { messages } from "./messages.ts";
import { isMutant } from "./mutants.ts";
import { type RawRunOptions, resolveRunOptions } from "./options.ts";
import { decideMode, PLATFORM_ENV, resolvePlatform } from "./platform.ts";
import { runPrimary } from "./primary.ts";
import type { RouteHandler } from "./routes.ts";
import { runSingle } from "./single.ts";
import { runWorker } from "./worker.ts";

/** `app.run()`: decide the mode, then become the primary, a worker, or the single serving process. */
export async function run(
  routes: ReadonlyMap<string, RouteHandler>,
  title: string,
  raw: RawRunOptions,
): Promise<void> {
  // cluster.fork() re-runs the program; the worker takes its settings from the primary.
  if (cluster.isWorker) return runWorker(routes);

  const options = isMutant("no-input-validation")
    ? { ...resolveRunOptions({ ...raw, workers: 1 }, availableParallelism()), workers: Number(raw.workers) }
    : resolveRunOptions(raw, availableParallelism());
  const platform = resolvePlatform(process.env[PLATFORM_ENV], process.platform);
  const mode = decideMode({
    platform,
    workers: options.workers,
    debug: options.debug && !isMutant("debug-ignored"),
  });
  if (isMutant("fork-on-fallback") && mode.fallback && options.workers > 1)
    Object.assign(mode, { kind: "cluster" });
  const info = { title, handlers: routes.size };

  if (mode.fallback && !isMutant("no-fallback-line"))
    for (const line of messages.fallback(platform)) console.log(line);
  if (isMutant("fallback-line-on-linux") && !mode.fallback) console.log(messages.fallback("linux")[1]);
  if (mode.debugIgnoresWorkers) console.log(messages.debugIgnoresWorkers(options.workers));
  if (mode.kind === "single") return runSingle(routes, options, info);

  if (!supportsReusePort(process.version)) {
    // Older Nodes ignore reusePort silently and would share one primary-owned socket instead.
    throw new RuntimeError(
      `Node ${process.version} ignores reusePort; multi-worker mode needs Node >= ${MINIMUM_NODE}`,
    );
  }
  return runPrimary(options, info);
}
