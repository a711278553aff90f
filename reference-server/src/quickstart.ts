import { setTimeout as sleep } from "node:timers/promises";
import { type App, createApp, RouteError } from "./app.ts";

export const REFERENCE_NAME = "bustbench-reference";
export const REFERENCE_VERSION = "0.1.0";

/** The longest wait `/io` accepts: a benchmark route, not a way to hold connections open. */
export const IO_MAX_MS = 10_000;

/**
 * BustAPI's Quick Start app plus the benchmark and health routes its releases serve, and `/io?ms=N`:
 * an I/O-bound request (it waits N ms without using CPU, as a database call would, then answers
 * like `/json`), so the bench can show how waiting work scales with workers.
 */
export function quickstartApp(): App {
  return createApp({ name: REFERENCE_NAME, version: REFERENCE_VERSION })
    .get("/", () => ({ message: "Hello, World!" }))
    .get("/json", () => ({ hello: "world" }))
    .get("/io", async (query) => {
      await sleep(ioWaitMs(query));
      return { hello: "world" };
    })
    .get("/health", () => "OK");
}

/** The `ms` parameter of `/io`: a whole number of milliseconds from 0 to IO_MAX_MS. */
export function ioWaitMs(query: string): number {
  const raw = new URLSearchParams(query).get("ms");
  if (raw === null) throw new RouteError(400, "ms is required: /io?ms=N");
  const ms = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(ms <= IO_MAX_MS)) throw new RouteError(400, `ms must be a whole number from 0 to ${IO_MAX_MS}`);
  return ms;
}
