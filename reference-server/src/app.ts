import type { RawRunOptions } from "./options.ts";
import type { RouteHandler } from "./routes.ts";
import { run } from "./run.ts";

export { type Body, RouteError, type RouteHandler } from "./routes.ts";

/** An app shaped like BustAPI's: register GET routes, then `run()` with BustAPI's options. */
export interface App {
  readonly name: string;
  readonly version: string;
  readonly routes: ReadonlyMap<string, RouteHandler>;
  get(path: string, handler: RouteHandler): App;
  run(options?: RawRunOptions): Promise<void>;
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
    run: (options = {}) => run(routes, `${name} v${version}`, options),
  };
  return app;
}
