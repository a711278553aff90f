import { build } from "./build.ts";

/** Integration tests run the bundled programs: rebuild first so they never test stale code. */
export default async function setup(): Promise<void> {
  await build();
}
