import type { ConcurrencyAcquire } from "@baton/core";
import { BatonError, LOG_LEVELS } from "@baton/core/runtime";
import type { BatonClient } from "../client/index.js";
import type { RunFrame } from "../context/run-context.js";
import { sleepFor } from "../client/retry-after.js";
import { emit } from "../logging/run-logger.js";

/** Waited longer than the caller's timeoutSeconds for a slot. */
export class ConcurrencySlotTimeout extends BatonError {
  override readonly code = "ConcurrencySlotTimeout";
}

export interface HeldSlots {
  /** Gives the slots back (and stops renewing the lease). Safe to call twice. */
  release(): Promise<void>;
}

const NOTHING_HELD: HeldSlots = { release: async () => {} };

export interface AcquireOptions {
  /** Give up (ConcurrencySlotTimeout) after waiting this long; default: wait as long as it takes. */
  timeoutSeconds?: number | undefined;
  /** Where waiting is logged (the run's log), and whose abort signal stops the wait. */
  frame?: RunFrame | undefined;
}

/**
 * Asks the server for slots until it grants them: it answers at once, with the full limit and
 * when to ask again, so this waits that long (at most 2 s, so a slot freed early is not missed
 * for long) and asks again. A granted lease is renewed every third of its life until released,
 * so the slots stay held while this process lives and come back when it dies.
 */
export async function acquireSlots(client: BatonClient, body: ConcurrencyAcquire, options: AcquireOptions = {}): Promise<HeldSlots> {
  const started = Date.now();
  const signal = options.frame?.signal;
  let logged = false;
  for (;;) {
    const answer = await client.call("acquireConcurrencySlots", { body });
    if (answer.acquired) {
      if (logged && options.frame) emit(options.frame, LOG_LEVELS.info, `Got ${body.slots ?? 1} slot(s) of ${body.names.join(", ")} after ${((Date.now() - started) / 1000).toFixed(1)}s`, "baton.concurrency");
      return answer.lease_id ? keepLease(client, answer.lease_id, body.lease_seconds ?? 60) : NOTHING_HELD;
    }
    if (!logged && options.frame) {
      emit(options.frame, LOG_LEVELS.info, `Waiting for a slot of limit "${answer.blocked_by}" (full); baton flow-run why shows who holds it`, "baton.concurrency");
      logged = true;
    }
    const waitedMs = Date.now() - started;
    if (options.timeoutSeconds !== undefined && waitedMs >= options.timeoutSeconds * 1000) {
      throw new ConcurrencySlotTimeout(
        `ConcurrencySlotTimeout: no slot of limit "${answer.blocked_by}" came free within ${options.timeoutSeconds}s (timeoutSeconds); raise the limit with baton concurrency-limit update ${answer.blocked_by} --limit N, or wait longer`,
      );
    }
    // Jittered, so waiters turned away together do not all ask again at once.
    await sleepFor(Math.min(2, Math.max(0.05, answer.retry_after_seconds ?? 1)), signal);
  }
}

function keepLease(client: BatonClient, leaseId: string, leaseSeconds: number): HeldSlots {
  const timer = setInterval(() => {
    client.call("renewConcurrencyLease", { params: { id: leaseId }, body: { lease_seconds: leaseSeconds } }).catch(() => undefined);
  }, Math.max(200, (leaseSeconds * 1000) / 3));
  timer.unref();
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      // The server gives the slots back when the lease ends anyway.
      await client.call("releaseConcurrencyLease", { params: { id: leaseId } }).catch(() => undefined);
    },
  };
}
