import type { BulkColumn } from "./bulk.js";
import type { CurrentStateColumns, FlowRunTable, LogTable, StateTable, TaskRunTable } from "./schema.js";

const text = (name: string): BulkColumn => ({ name, type: "text" });
const integer = (name: string): BulkColumn => ({ name, type: "integer" });

/** Column lists and row-to-values mappers for the bulk writes; the order is the one bound. */

/** Every column of a flow run, `id` first (insertNew returns it); a column added to FlowRunTable and not here fails to compile. */
const FLOW_RUN_FIELDS = [
  "id", "name", "flow_id", "flow_name", "deployment_id", "parent_flow_run_id", "parent_task_run_id", "parameters", "tags",
  "empirical_policy", "state_id", "state_type", "state_name", "state", "run_count", "expected_start_time", "next_scheduled_time",
  "start_time", "end_time", "heartbeat_time", "created", "updated", "deployment_name", "work_pool_name", "work_queue_name",
  "job_variables", "worker_name", "idempotency_key", "lease_expiration", "schedule_id", "claim_id", "claim_key_id", "traceparent",
  "cancel_with_parent",
] as const satisfies readonly (keyof FlowRunTable)[];
type Missing = Exclude<keyof FlowRunTable, (typeof FLOW_RUN_FIELDS)[number]>;
const allFlowRunFields: [Missing] extends [never] ? true : { missing: Missing } = true;
void allFlowRunFields;

export const FLOW_RUN_COLUMNS: readonly BulkColumn[] = FLOW_RUN_FIELDS.map((name) => (name === "run_count" || name === "cancel_with_parent" ? integer(name) : text(name)));

export const flowRunValues = (r: FlowRunTable): unknown[] => FLOW_RUN_FIELDS.map((name) => r[name]);

export const TASK_RUN_COLUMNS: readonly BulkColumn[] = [
  text("id"), text("flow_run_id"), text("task_key"), text("name"), text("dynamic_key"), text("tags"),
  integer("max_retries"), text("retry_delay_seconds"), text("cache_key"), text("task_inputs"), text("subflow_run_id"),
  text("state_id"), text("state_type"), text("state_name"), text("state"), integer("run_count"),
  text("expected_start_time"), text("next_scheduled_time"), text("start_time"), text("end_time"), text("created"), text("updated"),
];

export const taskRunValues = (r: TaskRunTable): unknown[] => [
  r.id, r.flow_run_id, r.task_key, r.name, r.dynamic_key, r.tags,
  r.max_retries, r.retry_delay_seconds, r.cache_key, r.task_inputs, r.subflow_run_id,
  r.state_id, r.state_type, r.state_name, r.state, r.run_count,
  r.expected_start_time, r.next_scheduled_time, r.start_time, r.end_time, r.created, r.updated,
];

/** What a report changes on a task run that exists already; `id` (the key) comes first. */
export const TASK_RUN_STATE_COLUMNS: readonly BulkColumn[] = [
  text("id"), text("state_id"), text("state_type"), text("state_name"), text("state"), integer("run_count"),
  text("expected_start_time"), text("next_scheduled_time"), text("start_time"), text("end_time"), text("updated"),
];

export const taskRunStateValues = (r: CurrentStateColumns & { id: string }): unknown[] => [
  r.id, r.state_id, r.state_type, r.state_name, r.state, r.run_count,
  r.expected_start_time, r.next_scheduled_time, r.start_time, r.end_time, r.updated,
];

export const stateColumns = (owner: string): readonly BulkColumn[] => [
  text("id"), text(owner), text("type"), text("name"), text("message"), text("timestamp"), text("state_details"), text("data"),
];

export const stateValues = (ownerId: string, s: StateTable): unknown[] => [s.id, ownerId, s.type, s.name, s.message, s.timestamp, s.state_details, s.data];

export const LOG_COLUMNS: readonly BulkColumn[] = [
  text("id"), text("flow_run_id"), text("task_run_id"), text("name"), integer("level"), text("message"), text("timestamp"),
];

export const logValues = (l: LogTable): unknown[] => [l.id, l.flow_run_id, l.task_run_id, l.name, l.level, l.message, l.timestamp];
