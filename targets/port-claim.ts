import { createServer, type Server } from "node:net";

/**
 * A host-wide claim on a TCP port, so that two launches of this kit (two checks side by side, two
 * suites at once) are never handed the same port.
 *
 * Probing a port (bind, close, hand it out) leaves a window until the target binds it: another launch
 * probing in that window draws the same port, and with SO_REUSEPORT both targets then listen on it,
 * each answering the other's connections. `Instance.startTracked` notices that only once a target is
 * ready, and only on its side: a launch whose partner became ready first has already been judged on a
 * shared port (likely how a suite on missing-workers once also failed SPAWN-2, PORT-1 and PORT-2; with
 * the range narrowed to 12 ports, 5 runs in 6 relaunched, and one judged SPAWN-2 and five more "not
 * ready" on a port it shared).
 *
 * The claim is an abstract Unix socket named for the port (Linux): binding it is atomic across
 * processes, it touches neither the port's TCP nor its UDP side (a server may serve HTTP/3 there),
 * and the kernel drops it with the process that holds it, so a kit killed with SIGKILL leaves no stale
 * claim behind. Elsewhere there is nothing to claim with; the claim is then only this process's word.
 */
export interface PortClaim {
  readonly port: number;
  /** Gives the port back; again is harmless. */
  release(): Promise<void>;
}

/** The abstract socket name (a leading NUL byte) that claims `port`. */
export function claimName(port: number): string {
  return `\0bustbench-port-${port}`;
}

const claimedHere = new Set<number>();

/** Claims `port`, or undefined when another claim (in this process or any other) holds it. */
export async function claimPort(port: number): Promise<PortClaim | undefined> {
  if (claimedHere.has(port)) return undefined;
  claimedHere.add(port);
  let server: Server | undefined;
  if (process.platform === "linux") {
    try {
      server = await listenAbstract(claimName(port));
    } catch (error) {
      claimedHere.delete(port);
      if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") return undefined;
      throw error;
    }
  }
  let released: Promise<void> | undefined;
  return {
    port,
    release() {
      released ??= new Promise<void>((resolve) => {
        claimedHere.delete(port);
        if (server) server.close(() => resolve());
        else resolve();
      });
      return released;
    },
  };
}

function listenAbstract(name: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    // Nobody has a reason to connect: whoever does is let go at once.
    const server = createServer((socket) => socket.destroy());
    server.once("error", reject);
    server.listen(name, () => {
      server.off("error", reject);
      // A claim must not keep the kit alive: it ends with the process anyway.
      server.unref();
      resolve(server);
    });
  });
}
