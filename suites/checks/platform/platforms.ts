import type { Platform, StartOptions } from "../../../targets/instance.ts";
import type { Manifest } from "../../../targets/manifest.ts";

export const FALLBACK_PLATFORMS = ["darwin", "win32"] as const satisfies readonly Platform[];
export const PLATFORM_NAMES: Record<Platform, string> = { linux: "Linux", darwin: "macOS", win32: "Windows" };

/**
 * How to make the target run as `platform`: for real on that OS, through the
 * manifest's platformEnv elsewhere, or not at all (then the case is N/A).
 */
export function platformStart(
  manifest: Manifest,
  platform: Platform,
  workers: number,
): { options: StartOptions; how: string } | { notApplicable: string } {
  if (process.platform === platform)
    return { options: { workers }, how: `on a real ${PLATFORM_NAMES[platform]} host` };
  if (manifest.platformEnv) {
    return { options: { workers, platform }, how: `${manifest.platformEnv}=${platform}` };
  }
  return {
    notApplicable: `the manifest declares no platformEnv, and this host is ${process.platform}, not ${platform}`,
  };
}
