import { ApiConnectionError, ApiError } from "@baton/core/runtime";
import { applyJitter } from "../timing/jitter.js";

/** Answers that say "not now" rather than "never": the same request may go through later. */
const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

export const isRetryableStatus = (status: number): boolean => RETRYABLE_STATUSES.has(status);

/** A failed call worth sending again: the server could not be reached, or answered "not now". */
export function isRetryableError(error: unknown): boolean {
  if (error instanceof ApiConnectionError) return true;
  return error instanceof ApiError && isRetryableStatus(error.status);
}

/** Seconds from a Retry-After header (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - Date.now()) / 1000);
}

/**
 * The wait before try number `attempt` + 1: what the server asked for (Retry-After), else
 * 0.5 s doubling up to 10 s, with jitter so that runs cut off together do not come back in step.
 */
export function backoffMs(attempt: number, retryAfter?: number): number {
  if (retryAfter !== undefined) return Math.min(retryAfter, 60) * 1000 * (1 + Math.random() * 0.2);
  return applyJitter(Math.min(10, 0.5 * 2 ** Math.max(0, attempt - 1)), 0.5) * 1000;
}

/** The outage setting's default (BATON_API_OUTAGE_SECONDS), in milliseconds. */
export const DEFAULT_OUTAGE_MS = 600_000;

/**
 * Calls `fn` until it succeeds, fails for good (an answer that is not retryable), or the
 * server has been unreachable for `outageMs`: then the last error is thrown.
 */
export async function retryThroughOutage<T>(fn: () => Promise<T>, outageMs: number): Promise<T> {
  let since: number | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isRetryableError(error)) throw error;
      since ??= Date.now();
      if (Date.now() - since >= outageMs) throw error;
      await new Promise((r) => setTimeout(r, backoffMs(attempt)));
    }
  }
}
