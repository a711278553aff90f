/**
 * Typed errors thrown by library code. Only CLI entry points turn them into a
 * message and an exit code, so that every bad input reads the same way.
 */
export class UsageError extends Error {
  readonly exitCode = 2;
  override readonly name = "UsageError";
}

export class RuntimeError extends Error {
  readonly exitCode = 1;
  override readonly name = "RuntimeError";
}

/** One line for a human: the message of a known error, or the first line of anything else. */
export function errorLine(error: unknown): string {
  if (error instanceof Error) return (error.message.split("\n")[0] ?? "").trim() || error.name;
  return String(error);
}

export function exitCodeOf(error: unknown): number {
  return error instanceof UsageError || error instanceof RuntimeError ? error.exitCode : 1;
}
