import type { RawRunOptions } from "./options.ts";
import type { RouteHandler } from "./routes.ts";
import { run } from "./run.ts";
import type { Seams } from "./seams.ts";

export { type Body, RouteError, type RouteHandler } from "./routes.ts";

/** An app shaped like BustAPI's: register GET routes, then `run()` with BustAPI's options. */
export interface App {
  readonly name: string;
  readonly version: string;
  readonly routes: ReadonlyMap<string, RouteHandler>;
  get(path: string, handler: RouteHandler): App;
  /** Serves, as BustAPI's `app.run()` does; `seams` compose a variant (seams.ts), the reference's own by default. */
  run(options?: RawRunOptions, seams?: Seams): Promise<void>;
}

export function createApp({ name, version }: { name: string; version: string }): App {
  const routes = new Map<string, RouteHandler>();
  const app: App = {
    name,
    version,
    routes,
    get(path, handler) {
      routes.set(path, handler);
      return app;
    },
    run: (options = {}, seams) => run(routes, `${name} v${version}`, options, seams),
  };
  return app;
}
