/**
 * How many runs the next write transaction of a pass takes: as many as fit in about `targetMs`
 * of holding the write lock, judged from the last one. A small batch pays for the pages each
 * transaction rewrites (every index a run touches) again and again; a large one makes the API
 * wait. So the size follows the machine: larger when a batch was quick, smaller when it was slow.
 */
export interface BatchBounds {
  min: number;
  max: number;
  targetMs: number;
}

export const RUN_BATCH: BatchBounds = { min: 250, max: 2_000, targetMs: 40 };

/** The size after a batch of `rows` took `elapsedMs`: toward the target rate, at most doubling or halving at once. */
export function nextBatchSize(current: number, rows: number, elapsedMs: number, bounds: BatchBounds = RUN_BATCH): number {
  if (rows === 0) return current;
  const fit = elapsedMs <= 0 ? current * 2 : (rows * bounds.targetMs) / elapsedMs;
  const damped = Math.min(current * 2, Math.max(current / 2, fit));
  return Math.round(Math.min(bounds.max, Math.max(bounds.min, damped)));
}
