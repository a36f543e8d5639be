/**
 * Failed authentication attempts per client address, in a sliding window. Only failures
 * count (a wrong, revoked or expired key, a wrong password, a bad session), so a busy worker
 * with a good key is never slowed down; an address over the limit is refused before its
 * credential is even checked, which is what stops guessing. In memory, per process: enough
 * to make guessing slow, and a restart forgets, which is fine for a limiter.
 */
export interface FailureLimiterOptions {
  /** Failures allowed in the window before the address is refused (default 10). */
  maxFailures?: number;
  /** Window length in milliseconds (default one minute). */
  windowMs?: number;
}

export interface FailureLimiter {
  /** Seconds until `address` may try again, or 0 when it may now. */
  retryAfterSeconds(address: string, now?: number): number;
  recordFailure(address: string, now?: number): void;
}

/** Beyond this many addresses tracked, stale entries are swept on the next failure. */
const SWEEP_AT = 10_000;

export function createFailureLimiter(options: FailureLimiterOptions = {}): FailureLimiter {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 60_000;
  const failures = new Map<string, number[]>();
  const recent = (address: string, now: number): number[] => {
    const times = (failures.get(address) ?? []).filter((time) => now - time < windowMs);
    if (times.length === 0) failures.delete(address);
    else failures.set(address, times);
    return times;
  };
  return {
    retryAfterSeconds(address, now = Date.now()) {
      const times = recent(address, now);
      if (times.length < maxFailures) return 0;
      // Free again when the oldest failure that keeps it over the limit leaves the window.
      const freedAt = times[times.length - maxFailures]! + windowMs;
      return Math.max(1, Math.ceil((freedAt - now) / 1000));
    },
    recordFailure(address, now = Date.now()) {
      if (failures.size >= SWEEP_AT) for (const key of [...failures.keys()]) recent(key, now);
      const times = recent(address, now);
      times.push(now);
      // Only the last maxFailures matter to the decision; older ones would only cost memory.
      failures.set(address, times.slice(-maxFailures));
    },
  };
}
