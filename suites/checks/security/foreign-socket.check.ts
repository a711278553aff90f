import { connect, createServer } from "node:net";
import { HOST } from "../../../targets/instance.ts";
import { startObserved } from "../../../targets/observe.ts";
import { check } from "../../harness/check.ts";
import { info } from "../../harness/outcome.ts";

const CONNECTIONS = 200;

check(
  "SECURITY-1",
  { title: "a foreign SO_REUSEPORT socket can join the port", observes: true, needs: ["proc", "linux"] },
  async (ctx) => {
    const { instance } = await startObserved(ctx.start, 2, { settle: false });
    let taken = 0;
    const intruder = createServer((socket) => {
      taken++;
      socket.destroy();
    });
    const joined = await new Promise<string | null>((resolve) => {
      intruder.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      intruder.listen({ host: HOST, port: instance.port, reusePort: true }, () => resolve(null));
    });
    ctx.evidence.joinError = joined;
    if (joined !== null) {
      return info(
        `a foreign socket could not join the port (${joined}): the target does not share it with SO_REUSEPORT`,
      );
    }
    try {
      for (let i = 0; i < CONNECTIONS; i++) {
        await new Promise<void>((resolve) => {
          const socket = connect({ host: HOST, port: instance.port }, () => {
            socket.destroy();
            resolve();
          });
          socket.once("error", () => resolve());
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      intruder.close();
    }
    ctx.evidence.connections = CONNECTIONS;
    ctx.evidence.acceptedByForeignSocket = taken;
    return info(
      `a foreign SO_REUSEPORT socket of the same user joined the port and accepted ${taken} of ${CONNECTIONS} new connections: run the server under a user of its own`,
    );
  },
);
