import { ConflictError, isTerminal, type OrchestrationResult, type State } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import { fromJson } from "../db/rows.js";
import { readFlowRunRow } from "../flow-runs/repository.js";
import { cancelState } from "../orchestration/cancel.js";
import { travel } from "../orchestration/road.js";

export class FlowRunNotCancellable extends ConflictError {
  override readonly code = "FlowRunNotCancellable";
}

/**
 * Cancel a run. One that has not started (SCHEDULED, PENDING, PAUSED) is CANCELLED at once: a
 * worker that claimed it is told so when it proposes RUNNING. A RUNNING one becomes
 * CANCELLING: its process learns it from its next heartbeat answer, and the worker ends the
 * process group and reports CANCELLED. Asking again while it is CANCELLING changes nothing.
 * The state goes through the road, which wakes the pool's waiting claims on every replica when
 * a slot is freed, and cancels the run's children started with cancel_with_parent.
 */
export async function cancelFlowRun(database: BatonDatabase, id: string, now: Date): Promise<OrchestrationResult> {
  return travel(database, async (road) => {
    const row = await readFlowRunRow(road.trx, id, { forUpdate: database.kind === "postgresql" });
    const current = fromJson<State>(row.state);
    if (isTerminal(row.state_type)) {
      throw new FlowRunNotCancellable(`FlowRunNotCancellable: flow run ${id} has already ended ${row.state_type} (${row.state_name}); only a run that has not ended can be cancelled`);
    }
    if (row.state_type === "CANCELLING") {
      return { status: "REJECT", state: current, details: { reason: "the run is already being cancelled; it ends Cancelled when its process stops" } };
    }
    const state = cancelState(row, true, now, { running: "cancellation requested; the worker is ending the run's process", notStarted: "cancelled before it started" });
    return (await road.one({ row, proposed: state, cause: "cancel" }, now)).result;
  });
}
