/**
 * Retry delays for sync: exponential backoff with "equal jitter" (half fixed, half random), so
 * many clients that failed together do not come back together, and a retry never comes sooner
 * than the portal's Retry-After.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000 };

/** The wait before attempt `attempt + 1` (attempt ≥ 1 is the number of failures so far). */
export function retryDelayMs(attempt: number, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF, retryAfterSeconds?: number): number {
  const exponent = Math.min(30, Math.max(0, attempt - 1));
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  const floor = retryAfterSeconds === undefined ? 0 : retryAfterSeconds * 1000;
  return Math.round(Math.max(jittered, floor));
}
