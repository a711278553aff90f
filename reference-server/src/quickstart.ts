import { type App, createApp } from "./app.ts";

export const REFERENCE_NAME = "bustbench-reference";
export const REFERENCE_VERSION = "0.1.0";

/** BustAPI's Quick Start app plus the benchmark and health routes its releases serve. */
export function quickstartApp(): App {
  return createApp({ name: REFERENCE_NAME, version: REFERENCE_VERSION })
    .get("/", () => ({ message: "Hello, World!" }))
    .get("/json", () => ({ hello: "world" }))
    .get("/health", () => "OK");
}
