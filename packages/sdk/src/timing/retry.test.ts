import { describe, expect, it } from "vitest";
import { exponentialBackoff, retryDelaySeconds } from "./retry.js";

describe("retry delays", () => {
  it("a number is every delay; a list gives one per retry and its last repeats; a function is asked", () => {
    expect([1, 2, 3].map((r) => retryDelaySeconds(2, r))).toEqual([2, 2, 2]);
    expect([1, 2, 3, 4].map((r) => retryDelaySeconds([1, 5, 10], r))).toEqual([1, 5, 10, 10]);
    expect([1, 2].map((r) => retryDelaySeconds((n) => n * 3, r))).toEqual([3, 6]);
    expect(retryDelaySeconds(undefined, 1)).toBe(0);
  });

  it("exponential backoff doubles by default, stops at maxSeconds, and jitter stays within its fraction", () => {
    const backoff = exponentialBackoff({ baseSeconds: 1, maxSeconds: 5 });
    expect([1, 2, 3, 4, 5].map(backoff)).toEqual([1, 2, 4, 5, 5]);
    expect([1, 2, 3].map(exponentialBackoff({ baseSeconds: 2, factor: 3 }))).toEqual([2, 6, 18]);
    const jittered = exponentialBackoff({ baseSeconds: 10, jitter: 0.2 });
    for (let i = 0; i < 200; i++) {
      const d = jittered(1);
      expect(d).toBeGreaterThanOrEqual(8);
      expect(d).toBeLessThanOrEqual(12);
    }
    const spread = new Set(Array.from({ length: 50 }, () => retryDelaySeconds(10, 1, 0.5)));
    expect(spread.size).toBeGreaterThan(1);
  });
});
