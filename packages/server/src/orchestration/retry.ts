/**
 * Seconds to wait before retry number `retry` (1 for the first retry). A list gives one
 * delay per retry and its last value repeats, so `[1, 5]` waits 1, 5, 5, 5...
 */
export function retryDelaySeconds(delays: number | readonly number[], retry: number): number {
  if (typeof delays === "number") return delays;
  if (delays.length === 0) return 0;
  return delays[Math.min(Math.max(retry, 1), delays.length) - 1]!;
}
