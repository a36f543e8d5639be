import type { TransportResponse } from "@baton/core";

/**
 * How a client rides out 429 Too Many Requests (the server's failed-login limiter, or a proxy in
 * front of it): wait what Retry-After says, then send the same request again. A 429 means the
 * request was not carried out, so sending it again is safe for writes too. Bounded: after
 * `maxWaitSeconds` of waiting in total the 429 is returned as it is.
 */
export interface RetryAfterPolicy {
  /** Total seconds one call may spend waiting on 429s (default 300). */
  maxWaitSeconds: number;
  /** The longest single wait, whatever Retry-After says (default 60 s). */
  maxOneWaitSeconds: number;
  /** Told before each wait (a CLI or worker can say why it pauses). */
  onWait?: (seconds: number, response: TransportResponse) => void;
}

export const DEFAULT_RETRY_AFTER: RetryAfterPolicy = { maxWaitSeconds: 300, maxOneWaitSeconds: 60 };

/** Seconds a 429 asks to wait: Retry-After as seconds or an HTTP date; 1 s when it says nothing usable. */
export function retryAfterSeconds(response: TransportResponse, now = Date.now()): number {
  const raw = response.headers?.["retry-after"];
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (text !== undefined) {
    const seconds = Number(text.trim());
    if (Number.isFinite(seconds) && seconds >= 0) return Math.max(seconds, 0.1);
    const date = Date.parse(text);
    if (Number.isFinite(date)) return Math.max((date - now) / 1000, 0.1);
  }
  return 1;
}

/** Resolves after `seconds` (plus up to 10% jitter, so clients refused together do not return together), or rejects when `signal` aborts. */
export function sleepFor(seconds: number, signal?: AbortSignal): Promise<void> {
  const ms = seconds * 1000 * (1 + Math.random() * 0.1);
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Sends `send()` again after each 429 within the policy's budget; the last answer otherwise. */
export async function withRetryAfter(send: () => Promise<TransportResponse>, policy: RetryAfterPolicy, signal?: AbortSignal): Promise<TransportResponse> {
  let waited = 0;
  for (;;) {
    const response = await send();
    if (response.status !== 429) return response;
    const wait = Math.min(retryAfterSeconds(response), policy.maxOneWaitSeconds);
    if (waited + wait > policy.maxWaitSeconds) return response;
    policy.onWait?.(wait, response);
    await sleepFor(wait, signal);
    waited += wait;
  }
}
