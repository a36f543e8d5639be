import { uuidv7, type State, type StateType } from "@baton/core";
import type { Kysely } from "kysely";
import type { Database, FlowRunTable } from "../db/schema.js";

const CANCEL_TYPES: ReadonlySet<StateType> = new Set(["CANCELLING", "CANCELLED"]);

/** A stored change that cancels a run: it enters CANCELLING or CANCELLED from anything else. */
export const startsCancel = (from: State, to: State): boolean => CANCEL_TYPES.has(to.type) && !CANCEL_TYPES.has(from.type);

/**
 * The state that cancels a run: CANCELLING while a process of its own runs it (its worker ends
 * the process and reports CANCELLED), CANCELLED at once otherwise (not started, paused, or a
 * subflow in its parent's process, which ends with that process).
 */
export function cancelState(row: Pick<FlowRunTable, "state_type" | "state_name">, ownProcess: boolean, now: Date, why: { running: string; notStarted: string }): State {
  const stopping = row.state_type === "RUNNING" && ownProcess;
  return {
    id: uuidv7(now.getTime()),
    type: stopping ? "CANCELLING" : "CANCELLED",
    name: stopping ? "Cancelling" : "Cancelled",
    message: stopping ? why.running : `${why.notStarted} (it was ${row.state_name})`,
    timestamp: now.toISOString(),
    state_details: {},
    data: null,
  };
}

/**
 * The children to cancel with runs being cancelled now: runs whose parent_flow_run_id is one of
 * `parentIds`, started with cancel_with_parent, not ended and not already being cancelled
 * (locked, as the road locks the runs it changes). Whoever cancels the parent (the CLI, the UI,
 * an automation, a forced state), its children follow in the same transaction.
 */
export async function childrenToCancel(trx: Kysely<Database>, postgres: boolean, parentIds: readonly string[], now: Date): Promise<{ row: FlowRunTable; proposed: State }[]> {
  if (parentIds.length === 0) return [];
  const rows = await trx
    .selectFrom("flow_runs")
    .selectAll()
    .where("parent_flow_run_id", "in", parentIds)
    .where("cancel_with_parent", "=", 1)
    .where("state_type", "not in", ["COMPLETED", "FAILED", "CRASHED", "CANCELLED", "CANCELLING"])
    .orderBy("id")
    .$if(postgres, (q) => q.forNoKeyUpdate())
    .execute();
  return rows.map((row) => ({
    row,
    proposed: cancelState(row, row.deployment_id !== null, now, {
      running: `its parent flow run ${row.parent_flow_run_id} was cancelled; the worker is ending the run's process`,
      notStarted: `cancelled with its parent flow run ${row.parent_flow_run_id}`,
    }),
  }));
}
