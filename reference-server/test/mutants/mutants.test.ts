import { describe, expect, it } from "vitest";
import { REQUIREMENT_IDS, REQUIREMENTS } from "../../../suites/requirements.ts";
import { REFERENCE_SEAMS } from "../../src/seams.ts";
import { MUTANT_EFFECTS, MUTANTS, mutantSeams } from "./mutants.ts";

describe("the mutants' table", () => {
  it("covers every mutant, names only requirements of SPEC.md, and breaks every MUST and SHOULD", () => {
    expect(Object.keys(MUTANT_EFFECTS).sort()).toEqual([...MUTANTS].sort());
    const named = Object.values(MUTANT_EFFECTS).flatMap((e) => [...e.breaks, ...e.reaches]);
    expect(named.filter((id) => !(id in REQUIREMENTS))).toEqual([]);
    const broken = new Set<string>(Object.values(MUTANT_EFFECTS).flatMap((e) => e.breaks));
    const checkable = REQUIREMENT_IDS.filter((id) => REQUIREMENTS[id].level !== "INFO");
    expect(checkable.filter((id) => !broken.has(id))).toEqual([]);
  });

  it("never lists a requirement as both broken and reached", () => {
    for (const [mutant, effects] of Object.entries(MUTANT_EFFECTS))
      expect(
        (effects.reaches as readonly string[]).filter((id) =>
          (effects.breaks as readonly string[]).includes(id),
        ),
        mutant,
      ).toEqual([]);
  });

  it("changes the reference at one seam or two, never by a branch of its own", () => {
    for (const mutant of MUTANTS) {
      const seams = mutantSeams(mutant);
      const changed = (Object.keys(REFERENCE_SEAMS) as Array<keyof typeof REFERENCE_SEAMS>).filter(
        (key) => seams[key] !== REFERENCE_SEAMS[key],
      );
      expect(changed.length, `${mutant}: ${changed.join(", ")}`).toBeGreaterThanOrEqual(1);
      expect(changed.length, `${mutant}: ${changed.join(", ")}`).toBeLessThanOrEqual(2);
    }
  });
});
