import type { StateType } from "@baton/core";

/**
 * States that hold a concurrency slot: claimed and not started, running, and being cancelled
 * (its process still runs until the worker ends it). Here, below dispatch, because the road's
 * bookkeeping wakes a pool when a run leaves them.
 */
export const ACTIVE_STATES: readonly StateType[] = ["PENDING", "RUNNING", "CANCELLING"];
