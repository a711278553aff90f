import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REQUIREMENT_IDS } from "../requirements.ts";
import {
  CHECK_FILES,
  filesFor,
  GROUPS,
  LOADING_CASES_AT_MOST,
  LOADING_CHECKS,
  LOADS_FILE,
  LONG_WAITS,
  LONG_WAITS_FILE,
  ROOTS,
} from "./registry.ts";
import { SIGNALS } from "./signal/signals.ts";

const text = (file: string) => readFileSync(new URL(file, import.meta.url), "utf8");

describe("check registry", () => {
  it.each(REQUIREMENT_IDS)("%s is checked by a file that declares it", (id) => {
    expect(text(CHECK_FILES[id])).toMatch(new RegExp(`check\\(\\s*"${id}"`));
  });

  it.each(Object.entries(GROUPS))("%s imports exactly its members' checks, in its order", (file, members) => {
    const imported = [...text(file).matchAll(/^import "\.\.\/(.+)";$/gm)].map((match) => match[1]);
    expect(imported).toEqual(members.map((id) => CHECK_FILES[id]));
  });

  it.each(Object.values(GROUPS).flat())(
    "%s, run in a group, only observes or shares one observation",
    (id) => {
      expect(text(CHECK_FILES[id])).toMatch(/observes: true|ctx\.seen\(/);
      expect(LOADING_CHECKS.has(id)).toBe(false);
    },
  );

  it("runs the long waits side by side from one file that imports exactly them, the switch first", () => {
    const imported = [...text(LONG_WAITS_FILE).matchAll(/^import "\.\.?\/(.+)";$/gm)].map(
      (match) => match[1],
    );
    expect(imported).toEqual(["side-by-side.ts", ...LONG_WAITS.map((id) => CHECK_FILES[id])]);
    for (const id of LONG_WAITS) expect(LOADING_CHECKS.has(id)).toBe(false);
    expect(filesFor(["HANG-1", "SIGNAL-4"])).toEqual([LONG_WAITS_FILE]);
  });

  it("runs the loading checks side by side from one file that imports exactly them, the switch first", () => {
    const imported = [...text(LOADS_FILE).matchAll(/^import "\.\.?\/(.+)";$/gm)].map((match) => match[1]);
    expect(imported).toEqual(["side-by-side.ts", ...[...LOADING_CHECKS].map((id) => CHECK_FILES[id])]);
  });

  it("bounds the loads a loading check may wait behind: one case each, or one per signal", () => {
    const cases = [...LOADING_CHECKS].map((id) => {
      const declared = text(CHECK_FILES[id]).match(/\bcases: (\w+)/)?.[1];
      expect([undefined, "SIGNALS"]).toContain(declared);
      return declared === undefined ? 1 : SIGNALS.length;
    });
    expect(cases.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(LOADING_CASES_AT_MOST);
  });

  it("runs each requirement's check once: a group's file for its members, the check's own file otherwise", () => {
    const files = filesFor(REQUIREMENT_IDS);
    const grouped = new Set([...Object.values(GROUPS).flat(), ...LONG_WAITS, ...LOADING_CHECKS]);
    const groupFiles = [...Object.keys(GROUPS), LONG_WAITS_FILE, LOADS_FILE];
    expect(files).toHaveLength(new Set(files).size);
    expect(files.filter((file) => file.startsWith("groups/")).sort()).toEqual(groupFiles.sort());
    // The roots others depend on, whose files start first.
    expect([...ROOTS].sort()).toEqual(["SIGNAL-2", "SIGNAL-3", "SPAWN-1"]);
    expect(files.length).toBe(REQUIREMENT_IDS.length - grouped.size + groupFiles.length);
    expect(filesFor(["PORT-2"])).toEqual(["groups/workers.group.ts"]);
    expect(filesFor(["SIGNAL-5", "RESPAWN-2"])).toEqual([LOADS_FILE]);
    expect(filesFor(["INFO-2"])).toEqual([CHECK_FILES["INFO-2"]]);
  });
});
