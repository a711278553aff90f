import { createServer } from "node:net";
import { freePort, HOST } from "../../../targets/instance.ts";
import { check } from "../../harness/check.ts";
import { refusalFindings } from "../../harness/refusal.ts";
import { validStartReadyMs } from "../../harness/valid-start.ts";

const INPUT_2_FLOOR_MS = 10_000;

check("INPUT-2", { title: "a port held by another program is refused clearly" }, async (ctx) => {
  const port = await freePort();
  // A plain listener, without SO_REUSEPORT: the target's sockets cannot join it.
  const holder = createServer();
  await new Promise<void>((resolve, reject) => {
    holder.once("error", reject);
    holder.listen({ host: HOST, port, exclusive: true }, resolve);
  });
  try {
    ctx.evidence.heldPort = port;
    const instance = await ctx.launch({ workers: 2, port });
    return await refusalFindings(
      instance,
      new RegExp(`${port}|address|in use|EADDRINUSE`, "i"),
      `port ${port} in use`,
      ctx.evidence,
      // Some servers retry a busy port for a few seconds before they give up (gunicorn: 5 times, 1 s
      // apart): 10 s at least before one still running is taken not to refuse.
      { validReadyMs: validStartReadyMs, floorMs: INPUT_2_FLOOR_MS },
    );
  } finally {
    holder.close();
  }
});
