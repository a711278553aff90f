import { randomUUID } from "node:crypto";
import { reapAll, SESSION_ENV } from "../targets/launch.ts";
import { findLeftovers } from "../targets/leftovers.ts";

/** What to save before exiting on a signal (a partial result): set by the running command. */
let onInterrupt: (() => void) | undefined;

export function whenInterrupted(save: () => void): void {
  onInterrupt = save;
}

/**
 * Ctrl+C or SIGTERM during a command: save what the command has (its partial
 * result), stop every process the kit started in this run, wherever it went
 * (each carries the run's session in its launch tag, also those started by
 * the suite's worker processes), and exit 130 (SIGINT) or 143 (SIGTERM).
 */
export function handleInterrupts(): void {
  process.env[SESSION_ENV] ??= `cli-${randomUUID().slice(0, 8)}`;
  const session = process.env[SESSION_ENV];
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.once(signal, () => {
      process.stderr.write(`\r\x1b[2Kinterrupted (${signal}): stopping everything the kit started\n`);
      try {
        onInterrupt?.();
      } catch (error) {
        process.stderr.write(`could not save the partial result: ${(error as Error).message}\n`);
      }
      void (async () => {
        await reapAll().catch(() => undefined);
        for (const left of await findLeftovers(session).catch(() => [])) {
          try {
            process.kill(left.pid, "SIGKILL");
          } catch {
            // gone meanwhile
          }
        }
        process.exit(code);
      })();
    });
  }
}
