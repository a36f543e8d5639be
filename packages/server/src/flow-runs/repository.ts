import {
  ConflictError,
  FlowRunNotFound,
  randomRunName,
  uuidv7,
  type FlowRun,
  type FlowRunCreateSchema,
  type RetryPolicy,
  type State,
} from "@baton/core";
import type { Kysely, Selectable } from "kysely";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import { fromJson, toJson } from "../db/rows.js";
import type { CurrentStateColumns, Database, FlowRunTable } from "../db/schema.js";
import { upsertFlow } from "../flows/repository.js";
import { currentStateColumns } from "../orchestration/apply.js";
import { stateFromCreate } from "../orchestration/states.js";
import { FLOW_RUN_STATES, insertStates } from "../states/repository.js";
import { toFlowRun, type FlowRunRow } from "./row.js";
import { deleteStoredResults } from "../results/repository.js";

export { toFlowRun, type FlowRunRow } from "./row.js";

/** The dispatch columns of a run that no work pool serves (made by a flow called in a process). */
export const NOT_DISPATCHED = {
  deployment_name: null,
  work_pool_name: null,
  work_queue_name: null,
  job_variables: null,
  worker_name: null,
  idempotency_key: null,
  lease_expiration: null,
  schedule_id: null,
} as const;

/**
 * Create a flow run, registering its flow by name. A client-chosen id makes the call
 * idempotent: the same request again returns the run made the first time.
 */
export async function createFlowRun(database: BatonDatabase, input: z.output<typeof FlowRunCreateSchema>, now: Date): Promise<FlowRun> {
  return database.transaction(async (trx) => {
    if (input.id) {
      const existing = await trx.selectFrom("flow_runs").selectAll().where("id", "=", input.id).executeTakeFirst();
      if (existing) return sameRunOrConflict(existing, input.flow_name);
    }
    const flow = await upsertFlow(trx, { name: input.flow_name }, now);
    const id = input.id ?? uuidv7(now.getTime());
    const state = stateFromCreate(input.state ?? { type: "PENDING" }, now);
    const row: FlowRunTable = {
      id,
      // Set after creation from the request's traceparent header (flow-runs/trace-context.ts).
      traceparent: null,
      // Nobody holds a claim on a new run: a worker's claim sets both.
      claim_id: null,
      claim_key_id: null,
      name: input.name ?? randomRunName(),
      flow_id: flow.id,
      flow_name: flow.name,
      deployment_id: null,
      parent_flow_run_id: input.parent_flow_run_id ?? null,
      parent_task_run_id: input.parent_task_run_id ?? null,
      // A subflow runs in its parent's process: it cannot outlive it.
      cancel_with_parent: 1,
      parameters: toJson(input.parameters),
      tags: toJson(input.tags),
      empirical_policy: toJson(input.empirical_policy),
      heartbeat_time: null,
      created: now.toISOString(),
      ...NOT_DISPATCHED,
      ...currentStateColumns({ run_count: 0, expected_start_time: null, start_time: null, end_time: null }, state, now),
    };
    // Two identical requests racing on PostgreSQL: the second insert does nothing and reads the first.
    const inserted = await trx.insertInto("flow_runs").values(row).onConflict((oc) => oc.column("id").doNothing()).executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      const existing = await trx.selectFrom("flow_runs").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      return sameRunOrConflict(existing, input.flow_name);
    }
    await insertStates(database, trx, FLOW_RUN_STATES, [{ ownerId: id, state }]);
    return toFlowRun(row);
  });
}

function sameRunOrConflict(existing: FlowRunRow, flowName: string): FlowRun {
  if (existing.flow_name !== flowName) {
    throw new ConflictError(
      `Conflict: flow run ${existing.id} already exists for flow "${existing.flow_name}", not "${flowName}"; leave out the id to create a new run`,
    );
  }
  return toFlowRun(existing);
}

/**
 * `forUpdate` (PostgreSQL) locks the row for a state change: concurrent changes of the same run
 * wait for each other. It is a no-key lock, so reports (which hold a key-share lock on the run
 * while they add task runs to it) and heartbeats do not wait for it, nor it for them.
 */
export async function readFlowRunRow(db: Kysely<Database>, id: string, options: { forUpdate?: boolean } = {}): Promise<FlowRunRow> {
  let query = db.selectFrom("flow_runs").selectAll().where("id", "=", id);
  if (options.forUpdate) query = query.forNoKeyUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw new FlowRunNotFound(id);
  return row;
}

export async function readFlowRun(db: Kysely<Database>, id: string): Promise<FlowRun> {
  return toFlowRun(await readFlowRunRow(db, id));
}

export { listFlowRuns, type FlowRunListQuery } from "./list.js";

/** Delete a run with its states, task runs (and their states), logs and stored results. */
export async function deleteFlowRun(database: BatonDatabase, id: string): Promise<void> {
  await database.transaction(async (trx) => {
    const row = await trx.selectFrom("flow_runs").select("id").where("id", "=", id).$if(database.kind === "postgresql", (q) => q.forUpdate()).executeTakeFirst();
    if (!row) throw new FlowRunNotFound(id);
    await trx
      .deleteFrom("task_run_states")
      .where("task_run_id", "in", trx.selectFrom("task_runs").select("id").where("flow_run_id", "=", id))
      .execute();
    await trx.deleteFrom("task_runs").where("flow_run_id", "=", id).execute();
    await trx.deleteFrom("logs").where("flow_run_id", "=", id).execute();
    await deleteStoredResults(trx, [id]);
    await trx.deleteFrom("flow_runs").where("id", "=", id).execute(); // flow_run_states cascade
  });
}

export async function heartbeatFlowRun(database: BatonDatabase, id: string, now: Date): Promise<{ state_type: FlowRun["state_type"]; state_name: string }> {
  const updated = await database.db
    .updateTable("flow_runs")
    .set({ heartbeat_time: now.toISOString() })
    .where("id", "=", id)
    .returning(["state_type", "state_name"])
    .executeTakeFirst();
  if (!updated) throw new FlowRunNotFound(id);
  return updated;
}

export const retryPolicyOf = (row: FlowRunRow): RetryPolicy => fromJson(row.empirical_policy);
