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
