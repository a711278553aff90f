import { renderBanner } from "./banner.ts";
import { prepareListenerClose, unreadyReason } from "./drain-listener.ts";
import { messages } from "./messages.ts";
import type { RunOptions } from "./options.ts";
import type { RouteHandler } from "./routes.ts";
import type { Seams } from "./seams.ts";
import { listen } from "./serve.ts";

/** One process serves: workers = 1, debug mode, or a platform without SO_REUSEPORT balancing. */
export async function runSingle(
  routes: ReadonlyMap<string, RouteHandler>,
  options: RunOptions,
  info: { title: string; handlers: number },
  seams: Seams,
): Promise<void> {
  // In a SO_REUSEPORT group of its own (Linux only: elsewhere Node refuses the option), so that the
  // listener helper can keep new connections out of its queue before it closes, as a worker's does.
  // A program that binds the port without SO_REUSEPORT is still refused (INPUT-2).
  const readyable = process.platform === "linux";
  const http = await listen(routes, seams.handler(0), {
    host: options.host,
    port: options.port,
    reusePort: readyable,
    debug: options.debug,
  });
  let stopping = false;
  const shutdown = () => {
    if (stopping) process.exit(1);
    stopping = true;
    for (const line of seams.lines.shutdown) process.stdout.write(`\n${line}\n`);
    const ready = readyable
      ? prepareListenerClose(http.server, "refuse", "alone", options.graceMs).then((report) => {
          const why = unreadyReason(report, true);
          if (why) process.stderr.write(`${messages.unreadyClose(process.pid, why, "process")}\n`);
        })
      : Promise.resolve();
    void http.drain(options.graceMs, ready).then((how) => process.exit(how === "drained" ? 0 : 1));
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
