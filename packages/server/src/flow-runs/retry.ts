import { ConflictError, type FlowRun } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import { travel } from "../orchestration/road.js";
import { stateFromCreate } from "../orchestration/states.js";
import { readFlowRunRow, toFlowRun } from "./repository.js";

export class FlowRunNotRetryable extends ConflictError {
  override readonly code = "FlowRunNotRetryable";
}

const RETRYABLE = new Set(["FAILED", "CRASHED", "CANCELLED"]);

/**
 * An operator's retry: a deployment run that ended Failed, Crashed or Cancelled is SCHEDULED
 * again, due now, with the same parameters and job variables, and its pool's workers are woken.
 * It keeps its id, history and run_count (the next RUNNING counts as another attempt). Only a
 * deployment's run can be retried: nothing else would pick a scheduled run up.
 */
export async function retryFlowRun(database: BatonDatabase, id: string, now: Date): Promise<FlowRun> {
  return travel(database, async (road) => {
    const row = await readFlowRunRow(road.trx, id, { forUpdate: database.kind === "postgresql" });
    if (!row.deployment_id || !row.work_pool_name) {
      throw new FlowRunNotRetryable(
        `FlowRunNotRetryable: flow run ${id} (${row.name}) is not a run of a deployment, so no worker would pick it up; run the flow again where it ran (baton run), or deploy it and run the deployment`,
      );
    }
    if (!RETRYABLE.has(row.state_type)) {
      const hint = row.state_type === "COMPLETED" ? "to run it again, start a new run of its deployment" : "cancel it first, or wait until it ends";
      throw new FlowRunNotRetryable(`FlowRunNotRetryable: flow run ${id} (${row.name}) is ${row.state_type} (${row.state_name}); only a Failed, Crashed or Cancelled run can be retried: ${hint}`);
    }
    const state = stateFromCreate(
      { type: "SCHEDULED", name: "Scheduled", message: `retried after it ended ${row.state_name}`, state_details: { scheduled_time: now.toISOString() } },
      now,
    );
    // An explicit retry: the rules step aside (terminal states are final otherwise). The worker
    // and lease of the last attempt do not hold this one: the next claim sets them; the road
    // ends its claim (its run tokens stop working) and wakes the pool's claims.
    const { columns } = await road.one({ row, proposed: state, cause: "retry", force: true, dispatch: { worker_name: null, lease_expiration: null } }, now);
    return toFlowRun({ ...row, ...columns! });
  });
}
