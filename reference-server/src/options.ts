import { UsageError } from "../../common/errors.ts";

/** What `app.run()` accepts, as a user or the CLI gives it (strings from argv, numbers from code). */
export interface RawRunOptions {
  host?: string | undefined;
  port?: string | number | undefined;
  workers?: string | number | undefined;
  debug?: boolean | undefined;
  graceMs?: string | number | undefined;
}

/** Validated options with every default applied. */
export interface RunOptions {
  host: string;
  port: number;
  workers: number;
  debug: boolean;
  /** How long a worker may take to drain after SIGTERM before it is killed. */
  graceMs: number;
}

export const DEFAULTS = { host: "127.0.0.1", port: 5000, graceMs: 10_000 } as const;
export const MAX_WORKERS = 512;

/**
 * Applies BustAPI's defaults (workers = CPU count, one in debug) and turns every
 * bad value into a UsageError naming the flag.
 */
export function resolveRunOptions(raw: RawRunOptions, cpuCount: number): RunOptions {
  const debug = raw.debug ?? false;
  const host = raw.host ?? DEFAULTS.host;
  if (host.trim() === "" || /\s/.test(host)) {
    throw new UsageError(`--host must be a host name or address, got '${host}'`);
  }
  const port = integerIn("--port", raw.port ?? DEFAULTS.port, 0, 65_535, "a port number from 0 to 65535");
  const workers =
    raw.workers === undefined
      ? debug
        ? 1
        : Math.max(1, cpuCount)
      : integerIn("--workers", raw.workers, 1, MAX_WORKERS, `a positive integer (at most ${MAX_WORKERS})`);
  const graceMs = integerIn(
    "--grace-ms",
    raw.graceMs ?? DEFAULTS.graceMs,
    0,
    3_600_000,
    "a whole number of milliseconds",
  );
  return { host, port, workers, debug, graceMs };
}

function integerIn(flag: string, value: string | number, min: number, max: number, what: string): number {
  const text = String(value).trim();
  const number = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new UsageError(`${flag} must be ${what}, got '${value}'`);
  }
  return number;
}
