import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { RuntimeError } from "../../common/errors.ts";
import { MINIMUM_NODE, supportsReusePort } from "../../common/node-version.ts";
import { messages } from "./messages.ts";
import type { RawRunOptions } from "./options.ts";
import { PLATFORM_ENV, resolvePlatform } from "./platform.ts";
import { runPrimary } from "./primary.ts";
import type { RouteHandler } from "./routes.ts";
import { REFERENCE_SEAMS, type Seams } from "./seams.ts";
import { runSingle } from "./single.ts";
import { runWorker } from "./worker.ts";

/** `app.run()`: decide the mode, then become the primary, a worker, or the single serving process. */
export async function run(
  routes: ReadonlyMap<string, RouteHandler>,
  title: string,
  raw: RawRunOptions,
  seams: Seams = REFERENCE_SEAMS,
): Promise<void> {
  // cluster.fork() re-runs the program; the worker takes its settings from the primary.
  if (cluster.isWorker) return runWorker(routes, seams);

  const options = seams.resolveOptions(raw, availableParallelism());
  const platform = resolvePlatform(process.env[PLATFORM_ENV], process.platform);
  const mode = seams.decideMode({ platform, workers: options.workers, debug: options.debug });
  const info = { title, handlers: routes.size };

  if (mode.fallback) for (const line of seams.lines.fallback(platform)) console.log(line);
  if (mode.debugIgnoresWorkers) console.log(messages.debugIgnoresWorkers(options.workers));
  if (mode.kind === "single") return runSingle(routes, options, info, seams);

  if (!supportsReusePort(process.version)) {
    // Older Nodes ignore reusePort silently and would share one primary-owned socket instead.
    throw new RuntimeError(
      `Node ${process.version} ignores reusePort; multi-worker mode needs Node >= ${MINIMUM_NODE}`,
    );
  }
  return runPrimary(options, info, seams);
}
