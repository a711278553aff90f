/**
 * How long to wait before replacing a dead worker. The first death in a window
 * is replaced at once; each further one doubles the wait, so a crash loop
 * settles at one attempt per `maxDelayMs` instead of spinning.
 */
export interface RespawnPolicy {
  windowMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const RESPAWN_POLICY: RespawnPolicy = { windowMs: 60_000, baseDelayMs: 100, maxDelayMs: 10_000 };

/** `deathTimes` holds the times of past deaths, the current one included. */
export function respawnDelayMs(deathTimes: readonly number[], now: number, policy = RESPAWN_POLICY): number {
  const recent = deathTimes.filter((time) => now - time < policy.windowMs).length;
  if (recent <= 1) return 0;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (recent - 2));
}
