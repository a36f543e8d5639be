import type { ClaimedRun } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import { claimDeskOf } from "../orchestration/claim-desk.js";
import { claimFlowRuns, type ClaimInput } from "./claim.js";
import { claimHandedRun } from "./hand-off.js";
import type { DispatchNotifier } from "../wake-up/notifier.js";

/**
 * Claim, and with `wait_seconds` wait on the server for something to claim: woken at once when
 * a run is made or rescheduled for the pool (in this process, or on another replica through
 * PostgreSQL NOTIFY), and at the due time of a run scheduled within the wait. While it waits, a
 * run made for the pool in this process is handed to it in the making transaction (the claim
 * desk), which spares the claim a transaction of its own.
 */
export async function claimWithWait(database: BatonDatabase, notifier: DispatchNotifier, pool: string, input: ClaimInput, signal: AbortSignal): Promise<ClaimedRun[]> {
  const deadline = Date.now() + input.wait_seconds * 1000;
  for (;;) {
    const seen = notifier.version(pool);
    const now = new Date();
    const { runs, nextDue: due } = await claimFlowRuns(database, pool, input, now);
    if (runs.length > 0 || signal.aborted || Date.now() >= deadline) return runs;
    const until = due !== undefined ? Math.min(deadline, due) : deadline;
    const ticket = claimDeskOf(database).open({ pool, queues: input.queues, claim: (road, run, at, deployment) => claimHandedRun(road, run, input, at, deployment) });
    // Handed a run: the wait for a wake-up ends too (its timer would linger otherwise).
    const handedOrGone = new AbortController();
    const stop = () => handedOrGone.abort();
    signal.addEventListener("abort", stop, { once: true });
    if (signal.aborted) stop();
    void ticket.handed.then(stop);
    let handed: ClaimedRun[];
    try {
      await notifier.wait(pool, Math.max(1, until - Date.now()), seen, handedOrGone.signal);
    } finally {
      signal.removeEventListener("abort", stop);
      handed = await ticket.close();
    }
    if (handed.length > 0) return handed;
    if (signal.aborted || notifier.closed || (Date.now() >= deadline && notifier.version(pool) === seen)) return [];
  }
}
