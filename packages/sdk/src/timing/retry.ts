import { applyJitter } from "./jitter.js";

/** Seconds before retry number `retry` (1 for the first retry). */
export type RetryDelayFn = (retry: number) => number;
/** One delay for every retry, one per retry (the last repeats), or a function of the retry number. */
export type RetryDelay = number | readonly number[] | RetryDelayFn;

export interface ExponentialBackoffOptions {
  /** Delay before the first retry. */
  baseSeconds: number;
  /** Each retry waits `factor` times longer than the one before (default 2). */
  factor?: number;
  /** No delay is longer than this. */
  maxSeconds?: number;
  /** Random variation as a fraction of the delay (0.2: +/-20%); `true` means 0.5. Spreads retries of many runs apart. */
  jitter?: number | boolean;
}

/** `retryDelaySeconds: exponentialBackoff({ baseSeconds: 1 })` waits 1, 2, 4, 8... seconds. */
export function exponentialBackoff(options: ExponentialBackoffOptions): RetryDelayFn {
  const factor = options.factor ?? 2;
  const jitter = options.jitter === true ? 0.5 : options.jitter || 0;
  return (retry) => {
    const raw = options.baseSeconds * factor ** Math.max(0, retry - 1);
    const capped = options.maxSeconds !== undefined ? Math.min(raw, options.maxSeconds) : raw;
    return applyJitter(capped, jitter);
  };
}

export function retryDelaySeconds(delay: RetryDelay | undefined, retry: number, jitterFactor?: number): number {
  let seconds: number;
  if (delay === undefined) seconds = 0;
  else if (typeof delay === "number") seconds = delay;
  else if (typeof delay === "function") seconds = delay(retry);
  else seconds = delay.length === 0 ? 0 : delay[Math.min(retry - 1, delay.length - 1)]!;
  return applyJitter(Math.max(0, seconds), jitterFactor);
}

export const sleep = (seconds: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, seconds * 1000);
    function done() {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/**
 * Sleeps until the wall clock reaches `epochMs`. Timers run on a monotonic clock and may wake
 * a millisecond before Date.now() says the time has come; a state stamped then would be early.
 */
export async function sleepUntil(epochMs: number, signal?: AbortSignal): Promise<void> {
  for (let left = epochMs - Date.now(); left > 0; left = epochMs - Date.now()) await sleep(left / 1000, signal);
}
