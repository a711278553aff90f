import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadManifest } from "../../targets/manifest.ts";

const DIR = new URL(".", import.meta.url).pathname;
const MANIFESTS = readdirSync(DIR).filter((name) => name.endsWith(".json"));

describe("shipped targets", () => {
  it.each(MANIFESTS)("%s validates against the manifest schema", (name) => {
    expect(loadManifest(join(DIR, name)).name.length).toBeGreaterThan(0);
  });

  it("records BustAPI's known deviations, each with its reason and date", () => {
    const bustapi = loadManifest(join(DIR, "bustapi.json"));
    expect(bustapi.expect.map((e) => e.id)).toEqual([
      "SIGNAL-4",
      "SIGNAL-5",
      "SIGNAL-6",
      "INPUT-1",
      "INPUT-2",
      "RESPAWN-1",
      "RESPAWN-2",
    ]);
    for (const entry of bustapi.expect) expect(entry.until).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  // The BustAPI target itself is not run here: PyPI is out of reach, so `bustapi` cannot be installed.
  it("ships a BustAPI app that compiles", () => {
    const cache = mkdtempSync(join(tmpdir(), "bustbench-pyc-"));
    execFileSync("python3", ["-m", "py_compile", join(DIR, "bustapi", "app.py")], {
      env: { ...process.env, PYTHONPYCACHEPREFIX: cache },
    });
  });
});
