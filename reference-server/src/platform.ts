import { UsageError } from "../../common/errors.ts";

export type Platform = "linux" | "darwin" | "win32";

/** The reference's test hook: makes it behave as another OS so the fallback can be exercised on Linux. */
export const PLATFORM_ENV = "BUSTAPI_PLATFORM";

const PLATFORMS: readonly Platform[] = ["linux", "darwin", "win32"];
const DISPLAY_NAMES: Record<string, string> = { linux: "Linux", darwin: "macOS", win32: "Windows" };

export function displayName(platform: string): string {
  return DISPLAY_NAMES[platform] ?? platform;
}

/** The override wins; otherwise the real OS. Any OS other than Linux gets the single-process fallback. */
export function resolvePlatform(override: string | undefined, actual: string): string {
  if (override === undefined || override === "") return actual;
  if (!(PLATFORMS as readonly string[]).includes(override)) {
    throw new UsageError(`${PLATFORM_ENV} must be one of ${PLATFORMS.join(", ")}, got '${override}'`);
  }
  return override;
}

export interface Mode {
  /** `cluster`: a primary and one process per worker; `single`: one process serves. */
  kind: "cluster" | "single";
  /** Processes that will serve. */
  processes: number;
  /** The OS lacks SO_REUSEPORT load balancing: say so, serve from one process. */
  fallback: boolean;
  /** debug=True was given together with workers > 1, which it ignores. */
  debugIgnoresWorkers: boolean;
}

/** BustAPI's decision: only Linux forks; debug and workers=1 serve from one process. */
export function decideMode({
  platform,
  workers,
  debug,
}: {
  platform: string;
  workers: number;
  debug: boolean;
}): Mode {
  const fallback = platform !== "linux";
  const debugIgnoresWorkers = debug && workers > 1;
  const cluster = !fallback && !debug && workers > 1;
  return {
    kind: cluster ? "cluster" : "single",
    processes: cluster ? workers : 1,
    fallback,
    debugIgnoresWorkers,
  };
}
