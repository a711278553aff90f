import type { RawRunOptions } from "./options.ts";
import { run } from "./run.ts";

/** What a handler returns: an object is sent as JSON, a string as text, as in BustAPI. */
export type Body = string | object;

/**
 * A handler gets the request's query string (without `?`) and returns a body, or a promise of one
 * for work that waits (the `/io` route). It throws a `RouteError` to answer with a 4xx.
 */
export type RouteHandler = (query: string) => Body | Promise<Body>;

/** Thrown by a handler to answer with `status` (a client error) instead of 200. */
export class RouteError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

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
