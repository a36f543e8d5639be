import { currentFlowFrame, currentFrame } from "../context/run-context.js";
import { getClient } from "../client/index.js";
import { acquireSlots } from "./slots.js";

export interface ConcurrencyOptions {
  /** Give up with ConcurrencySlotTimeout after waiting this long for the slots (default: no limit). */
  timeoutSeconds?: number;
  /** How long the server keeps the slots if this process stops renewing them (it dies): default 60. */
  leaseSeconds?: number;
}

async function ask(names: string | string[], slots: number, mode: "concurrency" | "rate_limit", options: ConcurrencyOptions) {
  const frame = currentFrame();
  const flow = currentFlowFrame();
  const client = flow ? flow.client : await getClient();
  return acquireSlots(
    client,
    {
      names: typeof names === "string" ? [names] : names,
      slots,
      mode,
      lease_seconds: options.leaseSeconds ?? 60,
      ...(flow ? { flow_run_id: flow.id } : {}),
      ...(frame?.kind === "task" ? { task_run_id: frame.id } : {}),
    },
    { timeoutSeconds: options.timeoutSeconds, frame },
  );
}

/**
 * Runs `fn` while holding `slots` of each named global concurrency limit (all or none), held by
 * the server for every pod and replica: waits for them first, gives them back when `fn` settles.
 * If this process dies, the slots come back when their lease ends.
 *
 * ```ts
 * const rows = await concurrency("warehouse", 1, async () => loadIntoWarehouse(batch));
 * ```
 */
export async function concurrency<T>(names: string | string[], slots: number, fn: () => T | Promise<T>, options: ConcurrencyOptions = {}): Promise<Awaited<T>> {
  const held = await ask(names, slots, "concurrency", options);
  try {
    return await fn();
  } finally {
    await held.release();
  }
}

/**
 * Waits until the named rate limits (limits with a slot decay) have room for `slots` more calls,
 * and takes them: they come back at the limit's slot_decay_per_second, not on release.
 *
 * ```ts
 * await rateLimit("crm-api");   // crm-api: --limit 10 --slot-decay-per-second 2 allows 2 calls a second, bursts of 10
 * ```
 */
export async function rateLimit(names: string | string[], slots = 1, options: Omit<ConcurrencyOptions, "leaseSeconds"> = {}): Promise<void> {
  await ask(names, slots, "rate_limit", options);
}
