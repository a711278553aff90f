import { renderBanner } from "./banner.ts";
import { messages } from "./messages.ts";
import type { RunOptions } from "./options.ts";
import type { RouteHandler } from "./routes.ts";
import { listen } from "./serve.ts";

/** One process serves: workers = 1, debug mode, or a platform without SO_REUSEPORT balancing. */
export async function runSingle(
  routes: ReadonlyMap<string, RouteHandler>,
  options: RunOptions,
  info: { title: string; handlers: number },
): Promise<void> {
  const http = await listen(routes, {
    host: options.host,
    port: options.port,
    reusePort: false,
    debug: options.debug,
  });
  let stopping = false;
  const shutdown = () => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write(`\n${messages.shutdown}\n`);
    void http.drain(options.graceMs).then((how) => process.exit(how === "drained" ? 0 : 1));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  process.stdout.write(
    `${renderBanner({
      title: info.title,
      url: `http://${options.host}:${http.port}`,
      fields: [
        ["Handlers", info.handlers],
        ["Processes", 1],
        ["PID", process.pid],
      ],
    })}\n`,
  );
}
