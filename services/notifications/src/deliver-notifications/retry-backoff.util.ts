/**
 * Exponential backoff after the n-th failed attempt (n ≥ 1): base, 2·base,
 * 4·base … capped at max. No jitter: each delivery has its own schedule
 * already, and a predictable schedule is what operators read in the table.
 */
export function retryDelayMs(failedAttempts: number, options: { baseMs: number; maxMs: number }): number {
  return Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, failedAttempts - 1));
}
