import { describe, expect, it } from "vitest";
import { createFailureLimiter } from "./rate-limit.js";

describe("the failed-attempt limiter", () => {
  it("refuses an address after maxFailures in the window, says for how long, and forgets when the window passes", () => {
    const limiter = createFailureLimiter({ maxFailures: 3, windowMs: 60_000 });
    const t0 = 1_000_000;
    for (let i = 0; i < 2; i++) limiter.recordFailure("10.0.0.1", t0 + i * 1000);
    expect(limiter.retryAfterSeconds("10.0.0.1", t0 + 2000)).toBe(0);
    limiter.recordFailure("10.0.0.1", t0 + 2000);
    // Free when the first of the three leaves the window: 60 s after t0.
    expect(limiter.retryAfterSeconds("10.0.0.1", t0 + 2000)).toBe(58);
    expect(limiter.retryAfterSeconds("10.0.0.2", t0 + 2000)).toBe(0);
    expect(limiter.retryAfterSeconds("10.0.0.1", t0 + 59_500)).toBe(1);
    expect(limiter.retryAfterSeconds("10.0.0.1", t0 + 60_000)).toBe(0);
  });

  it("a sliding window: failures spread wider than the window never add up to the limit", () => {
    const limiter = createFailureLimiter({ maxFailures: 3, windowMs: 10_000 });
    for (let i = 0; i < 20; i++) {
      limiter.recordFailure("a", i * 5_000);
      expect(limiter.retryAfterSeconds("a", i * 5_000)).toBe(0);
    }
  });
});
