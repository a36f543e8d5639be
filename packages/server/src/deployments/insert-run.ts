import { randomRunName, uuidv7, type State } from "@baton/core";
import type { Kysely } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import { fromJson, toJson } from "../db/rows.js";
import type { Database, FlowRunTable } from "../db/schema.js";
import { currentStateColumns } from "../orchestration/apply.js";
import { FLOW_RUN_STATES, insertStates } from "../states/repository.js";
import { DEFAULT_QUEUE } from "../work-pools/rows.js";
import type { ParentRun } from "./run-parent.js";
import type { DeploymentRow } from "./rows.js";

export interface DeploymentRunSpec {
  parameters: Record<string, unknown>;
  job_variables: Record<string, unknown> | null;
  tags: string[];
  name?: string | undefined;
  scheduledTime: Date;
  idempotencyKey: string | null;
  scheduleId: string | null;
  /** Chosen by the caller (runDeployment from a flow); a new UUIDv7 otherwise. */
  id?: string | undefined;
  /** The run (and the task run standing for the call) that started this one from its code. */
  parent?: ParentRun | undefined;
  /** The creating request's W3C trace context (flow-runs/trace-context.ts). */
  traceparent?: string | undefined;
}

/**
 * A SCHEDULED run of a deployment, in its pool and queue. With a key, a second insert with
 * the same key does nothing (ON CONFLICT DO NOTHING on the deployment + key index) and the
 * answer is null: the scheduler of another replica, or the first of two identical requests,
 * made it already.
 */
export async function insertDeploymentRun(database: BatonDatabase, trx: Kysely<Database>, deployment: DeploymentRow, spec: DeploymentRunSpec, now: Date): Promise<FlowRunTable | null> {
  const { row, state } = deploymentRunRow(deployment, spec, now);
  const inserted = await trx
    .insertInto("flow_runs")
    .values(row)
    .$if(spec.idempotencyKey !== null, (q) => q.onConflict((oc) => oc.columns(["deployment_id", "idempotency_key"]).doNothing()))
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return null;
  await insertStates(database, trx, FLOW_RUN_STATES, [{ ownerId: row.id, state }]);
  return row;
}

/** The row of a new SCHEDULED run of a deployment and its first state (the scheduler inserts many at once). */
export function deploymentRunRow(deployment: DeploymentRow, spec: DeploymentRunSpec, now: Date): { row: FlowRunTable; state: State } {
  const id = spec.id ?? uuidv7(now.getTime());
  const state: State = {
    id: uuidv7(now.getTime()),
    type: "SCHEDULED",
    name: "Scheduled",
    message: null,
    timestamp: now.toISOString(),
    state_details: { scheduled_time: spec.scheduledTime.toISOString() },
    data: null,
  };
  const tags = [...new Set([...fromJson<string[]>(deployment.tags), ...spec.tags])];
  const row: FlowRunTable = {
    id,
    // The creating request's, so the run's process makes its span a child of the creator's.
    traceparent: spec.traceparent ?? null,
    // Nobody holds a claim on a new run: a worker's claim sets both.
    claim_id: null,
    claim_key_id: null,
    name: spec.name ?? randomRunName(),
    flow_id: deployment.flow_id,
    flow_name: deployment.flow_name,
    deployment_id: deployment.id,
    deployment_name: deployment.name,
    work_pool_name: deployment.work_pool_name,
    work_queue_name: deployment.work_pool_name ? (deployment.work_queue_name ?? DEFAULT_QUEUE) : null,
    job_variables: spec.job_variables === null ? null : toJson(spec.job_variables),
    worker_name: null,
    idempotency_key: spec.idempotencyKey,
    lease_expiration: null,
    schedule_id: spec.scheduleId,
    parent_flow_run_id: spec.parent?.flowRunId ?? null,
    parent_task_run_id: spec.parent?.taskRunId ?? null,
    cancel_with_parent: spec.parent?.cancelWithParent === false ? 0 : 1,
    parameters: toJson(spec.parameters),
    tags: toJson(tags),
    empirical_policy: toJson({ retries: 0, retry_delay_seconds: 0 }),
    heartbeat_time: null,
    created: now.toISOString(),
    ...currentStateColumns({ run_count: 0, expected_start_time: null, start_time: null, end_time: null }, state, now),
  };
  return { row, state };
}
