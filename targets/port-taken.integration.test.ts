import { afterEach, expect, test } from "vitest";
import { listenRows } from "../common/probes/procfs.ts";
import { sleep } from "../common/sleep.ts";
import { Instance } from "./instance.ts";
import { REFERENCE_MANIFEST } from "./known.ts";
import { loadManifest } from "./manifest.ts";

/**
 * A launch relaunches when another launch of the kit listens on its port too (SO_REUSEPORT lets both
 * bind, and each would answer the other's connections): what Instance.startTracked asks of
 * portTakenByAnotherLaunch. The port claim keeps the kit's own draws apart; this stays for a launch
 * given its port, or a kit that does not claim.
 */
const started: Instance[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((instance) => instance.dispose()));
});

async function start(options: { workers: number; port?: number }): Promise<Instance> {
  const instance = await Instance.launch(loadManifest(REFERENCE_MANIFEST), options);
  started.push(instance);
  await instance.waitReady();
  return instance;
}

test("a port only this launch listens on is not taken; one another launch joined is, for both", async () => {
  const first = await start({ workers: 2 });
  expect(await first.portTakenByAnotherLaunch()).toBe(false);

  const second = await start({ workers: 1, port: first.port });
  // Ready says little here: the first launch answers on the port before the second binds it.
  while ((await listenRows()).filter((row) => row.localPort === first.port).length < 3) await sleep(20);
  expect(await first.portTakenByAnotherLaunch()).toBe(true);
  expect(await second.portTakenByAnotherLaunch()).toBe(true);

  await second.dispose();
  expect(await first.portTakenByAnotherLaunch()).toBe(false);
});
