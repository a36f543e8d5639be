import { API_KEY_PREFIX } from "@baton/core";
import type { FastifyReply, FastifyRequest } from "fastify";
import { TooManyAttempts } from "./errors.js";

/**
 * Failed authentication attempts per bucket (client address and the credential's first
 * characters), in a sliding window. Only failures count (a wrong, revoked or expired key, a wrong
 * password, a bad session), and the credential is always checked first: a valid one is never
 * refused, however many wrong ones came from the same address (workers behind one NAT address).
 * A bucket over the limit gets 429 with Retry-After instead of 401 for its further failures,
 * which tells a misconfigured client to back off. API keys and run tokens are 256 random bits,
 * so the limiter is not what stops guessing them; a basic-auth password is only as strong as
 * BATON_SERVER_API_AUTH_STRING (make it long and random). In memory, per process: a restart
 * forgets, which is fine for a limiter.
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

/** How many characters of a key or token name its bucket: the shown prefix (`bat_` + 8), useless for guessing. */
const BUCKET_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;

/**
 * The bucket a failed attempt counts in: address plus what the credential starts with (a key's
 * shown prefix, basic auth's user, or "session"), so one client's wrong key does not count
 * against another key sent from the same address. `keyText`: a key sent in a body (logging in).
 */
export function failureBucket(request: FastifyRequest, keyText?: string): string {
  const header = request.headers.authorization;
  let credential = "session";
  if (keyText !== undefined) credential = `key:${keyText.slice(0, BUCKET_PREFIX_LENGTH)}`;
  else if (header) {
    const space = header.indexOf(" ");
    const scheme = (space === -1 ? header : header.slice(0, space)).toLowerCase();
    const value = space === -1 ? "" : header.slice(space + 1).trim();
    if (scheme === "basic") {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      credential = `basic:${decoded.slice(0, Math.max(0, decoded.indexOf(":")))}`;
    } else credential = `key:${value.slice(0, BUCKET_PREFIX_LENGTH)}`;
  }
  return `${request.ip} ${credential}`;
}

/** Counts a failed attempt; when its bucket was already over the limit, throws 429 with Retry-After. */
export function refuseIfOverLimit(limiter: FailureLimiter, bucket: string, reply: FastifyReply): void {
  const wait = limiter.retryAfterSeconds(bucket);
  limiter.recordFailure(bucket);
  if (wait <= 0) return;
  reply.header("retry-after", String(wait));
  const address = bucket.slice(0, bucket.indexOf(" "));
  throw new TooManyAttempts(`TooManyAttempts: too many failed authentication attempts from ${address} with this credential; try again in ${wait} s with a valid one`, wait);
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
