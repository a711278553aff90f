import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { claimFreePort, HOST, type PortRange } from "./instance.ts";
import { launch } from "./launch.ts";
import { claimPort } from "./port-claim.ts";

/**
 * Two launches of the kit drew the same free port when both probed it before either target bound it;
 * with SO_REUSEPORT both targets then listened on it (issue 27: likely why one suite run also failed
 * SPAWN-2, PORT-1 and PORT-2). A claim makes the draw exclusive across processes.
 */
const CLAIM_MODULE = fileURLToPath(new URL("./port-claim.ts", import.meta.url));

/** A few ports of the kit's range, drawn at random so that two test runs at once rarely meet. */
function smallRange(): PortRange {
  const low = 30_000 + Math.floor(Math.random() * 2_000);
  return { low, high: low + 4 };
}

describe("a port claim", () => {
  it("holds a port against a second claim until released", async () => {
    const { low } = smallRange();
    const first = await claimPort(low);
    expect(first?.port).toBe(low);
    expect(await claimPort(low)).toBeUndefined();
    await first?.release();
    await first?.release();
    const again = await claimPort(low);
    expect(again?.port).toBe(low);
    await again?.release();
  });

  it("keeps another process from drawing the port, until that process dies", async () => {
    const range = smallRange();
    // The other process claims every port of the range, as a suite beside this one would claim its own.
    const script = [
      `import { claimPort } from ${JSON.stringify(CLAIM_MODULE)};`,
      `const got = [];`,
      `for (let p = ${range.low}; p < ${range.high}; p++) if (await claimPort(p)) got.push(p);`,
      `console.log("claimed " + got.join(","));`,
      `setInterval(() => {}, 1000);`,
    ].join("\n");
    const other = launch({ command: process.execPath, args: ["--input-type=module", "-e", script] });
    try {
      const line = await other.waitForLine(/^claimed/, 30_000);
      expect(line?.text).toBe(`claimed ${[0, 1, 2, 3].map((i) => range.low + i).join(",")}`);
      await expect(claimFreePort(HOST, range)).rejects.toThrow(
        `no free port between ${range.low} and ${range.high}`,
      );
      // SIGKILL: the kernel drops the claims with the process, no stale claim is left to clean up.
      other.signal("SIGKILL");
      await other.exit;
      const claim = await claimFreePort(HOST, range);
      expect(claim.port).toBeGreaterThanOrEqual(range.low);
      expect(claim.port).toBeLessThan(range.high);
      await claim.release();
    } finally {
      await other.reap();
    }
  });
});
