import type { FlowRun } from "@baton/core";
import type { Selectable } from "kysely";
import { fromJson } from "../db/rows.js";
import type { FlowRunTable } from "../db/schema.js";

// A row as the API shows it, apart from the repository so list.ts (which the repository
// re-exports) reads rows without importing the repository.
export type FlowRunRow = Selectable<FlowRunTable>;

export function toFlowRun(row: FlowRunRow): FlowRun {
  return {
    id: row.id,
    name: row.name,
    flow_id: row.flow_id,
    flow_name: row.flow_name,
    deployment_id: row.deployment_id,
    deployment_name: row.deployment_name,
    work_pool_name: row.work_pool_name,
    work_queue_name: row.work_queue_name,
    job_variables: row.job_variables === null ? null : fromJson(row.job_variables),
    worker_name: row.worker_name,
    idempotency_key: row.idempotency_key,
    parent_flow_run_id: row.parent_flow_run_id,
    parent_task_run_id: row.parent_task_run_id,
    cancel_with_parent: row.cancel_with_parent !== 0,
    parameters: fromJson(row.parameters),
    tags: fromJson(row.tags),
    state_type: row.state_type,
    state_name: row.state_name,
    state: fromJson(row.state),
    run_count: row.run_count,
    empirical_policy: fromJson(row.empirical_policy),
    expected_start_time: row.expected_start_time,
    start_time: row.start_time,
    end_time: row.end_time,
    heartbeat_time: row.heartbeat_time,
    traceparent: row.traceparent ?? null,
    created: row.created,
    updated: row.updated,
  };
}
