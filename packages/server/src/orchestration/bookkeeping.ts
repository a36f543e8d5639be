import type { State, StateType } from "@baton/core";
import { ACTIVE_STATES } from "./active-states.js";
import type { Decision } from "./decision.js";

/** The columns that say who holds a run: the claim's worker, lease, id and key. */
export interface DispatchColumns {
  worker_name: string | null;
  lease_expiration: string | null;
  claim_id: string | null;
  claim_key_id: string | null;
}

/** A decision the road is about to store, as the bookkeeping units see it. */
export interface StoredChange {
  decision: Decision;
  /** The run's state before, and the one stored now. */
  from: State;
  to: State;
  work_pool_name: string | null;
}

/** What bookkeeping may change: the dispatch columns written with the state, and pools to wake after the commit. */
export interface Books {
  dispatch: DispatchColumns;
  wake(pool: string | null): void;
}

/**
 * A unit of bookkeeping after a decision (Prefect's global policy): it does not decide, it
 * keeps what follows from a stored state consistent, so no caller can forget it.
 */
export interface Bookkeeping {
  readonly name: string;
  readonly does: string;
  apply(change: StoredChange, books: Books): void;
}

/** States that hold a concurrency slot, as the claims count them. */
const HOLDS_SLOT: ReadonlySet<StateType> = new Set(ACTIVE_STATES);

/** Sent back to the queue (not an AwaitingRetry its own process waits out): another worker may take it. */
const requeued = (change: StoredChange) => change.decision.status === "ACCEPT" && change.to.type === "SCHEDULED" && change.from.type !== "SCHEDULED";

export const ReleaseClaimWhenRequeued: Bookkeeping = {
  name: "ReleaseClaimWhenRequeued",
  does: "a run sent back to SCHEDULED (lease expired, crash retry, operator retry) loses its claim, and its run tokens stop working",
  apply(change, books) {
    if (!requeued(change)) return;
    books.dispatch.claim_id = null;
    books.dispatch.claim_key_id = null;
  },
};

export const WakePoolWhenClaimable: Bookkeeping = {
  name: "WakePoolWhenClaimable",
  does: "a run sent back to SCHEDULED wakes the waiting claims of its pool, on this replica and (NOTIFY) on the others",
  apply(change, books) {
    if (requeued(change)) books.wake(change.work_pool_name);
  },
};

export const WakePoolWhenSlotFreed: Bookkeeping = {
  name: "WakePoolWhenSlotFreed",
  does: "a run leaving PENDING, RUNNING or CANCELLING frees a concurrency slot: its pool's waiting claims look again, on every replica",
  apply(change, books) {
    if (HOLDS_SLOT.has(change.from.type) && !HOLDS_SLOT.has(change.to.type)) books.wake(change.work_pool_name);
  },
};

/** After every stored decision, in order. */
export const BOOKKEEPING: readonly Bookkeeping[] = [ReleaseClaimWhenRequeued, WakePoolWhenClaimable, WakePoolWhenSlotFreed];
