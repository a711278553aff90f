import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kitRoot } from "../common/paths.ts";
import { Instance } from "./instance.ts";
import { loadManifest } from "./manifest.ts";
import { observeWorkers } from "./observe.ts";

/**
 * The checks of a group share one start (suites/checks/groups/): each looks at it again. A launch with
 * a process that serves nothing (Python's fork server) is settled only once it stopped changing for a
 * quiet period; a later look at the same launch goes on from what the earlier one saw, so it does not
 * wait for that quiet period again (it cost the forkserver fixture's suite 2.7 s per check that looked).
 */
describe("a second look at a settled launch", () => {
  it("is settled at its first look when nothing changed since", async () => {
    const manifest = loadManifest(join(kitRoot(), "suites", "fixtures", "python", "forkserver.json"));
    const instance = await Instance.start(manifest, { workers: 2 });
    try {
      const first = await observeWorkers(instance, 2);
      // The precondition: the fork server serves nothing, so the first look waited for a quiet period.
      expect(first.model.helpers.length).toBeGreaterThan(0);
      expect({ workers: first.model.workers.length, settledBy: first.settledBy }).toEqual({
        workers: 2,
        settledBy: "count",
      });
      expect(first.looks).toBeGreaterThan(1);
      const second = await observeWorkers(instance, 2);
      expect({
        workers: second.model.workers.length,
        settledBy: second.settledBy,
        looks: second.looks,
      }).toEqual({ workers: 2, settledBy: "count", looks: 1 });
    } finally {
      await instance.dispose();
    }
  });
});
