import { defineConfig } from "vitest/config";
import projects from "./vitest.workspace.ts";

export default defineConfig({
  test: {
    projects,
    // The digest writes only under make test (its DIGEST_ENV), for the end of the run's output.
    reporters: ["default", "./scripts/vitest-failure-digest.ts"],
  },
});
