import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../common/errors.ts";
import { fill } from "./definition.ts";
import { loadManifest, resolveManifest } from "./manifest.ts";

const FILE = "/targets/x.json";

function problem(data: unknown): string {
  try {
    resolveManifest(data, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("resolveManifest", () => {
  it("applies the defaults", () => {
    const manifest = resolveManifest({ name: "x", command: ["srv"] }, FILE);
    expect(manifest).toMatchObject({
      name: "x",
      dir: "/targets",
      cwd: "/targets",
      env: {},
      debugArgs: undefined,
      platformEnv: undefined,
      routes: { root: "/", json: "/json" },
      readyPath: "/",
      startTimeoutMs: 10_000,
      stopTimeoutMs: 10_000,
      expect: [],
    });
  });

  it.each([
    [{ command: ["x"] }, "missing required key 'name'"],
    [{ name: "x", command: "srv --port {port}" }, "command: must be an array"],
    [{ name: "x", command: [] }, "command: must have at least 1 item(s)"],
    [{ name: "x", command: ["srv", 5] }, "command[1]: must be a string"],
    [{ name: "x", command: ["srv"], startTimeoutMs: "10" }, "startTimeoutMs: must be an integer"],
    [{ name: "x", command: ["srv"], stopTimeoutMs: 5 }, "stopTimeoutMs: must be >= 100"],
    [{ name: "x", command: ["srv"], comand: ["y"] }, "unknown key 'comand'"],
    [{ name: "x", command: ["srv"], routes: { root: "/" } }, "routes: missing required key 'json'"],
    [{ name: "x", command: ["srv"], readyPath: "health" }, "readyPath: must match ^/"],
    [{ name: "x", command: ["srv"], env: { A: 1 } }, "env.A: must be a string"],
    [
      { name: "x", command: ["srv"], expect: [{ id: "SIGNAL-3", reason: "r" }] },
      "expect[0]: missing required key 'until'",
    ],
    [{ name: "x", command: ["srv", "--port={prot}"] }, "command[1]: unknown placeholder {prot}"],
    [[1, 2], "must be an object"],
  ])("refuses %j in one line naming the key", (data, message) => {
    expect(problem(data)).toBe(`${FILE}: ${message}`);
  });
});

describe("loadManifest", () => {
  const dir = mkdtempSync(join(tmpdir(), "bustbench-manifest-"));

  it("says when the file is missing or not JSON", () => {
    expect(() => loadManifest(join(dir, "missing.json"))).toThrow(
      `${join(dir, "missing.json")}: no such file`,
    );
    writeFileSync(join(dir, "bad.json"), "{ name: x");
    expect(() => loadManifest(join(dir, "bad.json"))).toThrow(/bad\.json: not valid JSON \(/);
  });

  it("loads the shipped manifests", () => {
    for (const name of ["reference", "round-robin"]) {
      const manifest = loadManifest(new URL(`../suites/manifests/${name}.json`, import.meta.url).pathname);
      expect(manifest.command[0]).toBe("node");
    }
  });
});

describe("fill", () => {
  it("replaces every placeholder in one string", () => {
    const manifest = { dir: "/m", path: "/m/x.json" };
    expect(
      fill(
        "{manifestDir}/srv --bind={host}:{port} -w{workers}",
        manifest,
        { host: "127.0.0.1", port: 80, workers: 4 },
        "k",
      ),
    ).toBe("/m/srv --bind=127.0.0.1:80 -w4");
  });
});
