import { type App, createApp } from "./app.ts";
import { isMutant } from "./mutants.ts";

export const REFERENCE_NAME = "bustbench-reference";
export const REFERENCE_VERSION = "0.1.0";

/** BustAPI's Quick Start app plus the benchmark and health routes its releases serve. */
export function quickstartApp(): App {
  return createApp({ name: REFERENCE_NAME, version: REFERENCE_VERSION })
    .get("/", () => ({ message: "Hello, World!" }))
    .get("/json", () => (isMutant("json-as-text") ? JSON.stringify({ hello: "world" }) : { hello: "world" }))
    .get("/health", () => "OK");
}
