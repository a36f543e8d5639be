import type { StateType } from "@baton/core";

/**
 * The tables as Kysely sees them. JSON values are stored as text and timestamps as
 * ISO-8601 UTC text with milliseconds (`2026-01-31T12:00:00.000Z`): one representation
 * on SQLite and PostgreSQL, and text order is time order, so indexes and comparisons work.
 */
export interface FlowTable {
  id: string;
  name: string;
  /** JSON array of strings. */
  tags: string;
  created: string;
  updated: string;
}

/** The columns of a run's current state, kept beside the history for filters and reads. */
export interface CurrentStateColumns {
  state_id: string;
  state_type: StateType;
  state_name: string;
  /** The whole current state as JSON (a State). */
  state: string;
  run_count: number;
  expected_start_time: string | null;
  /** scheduled_time of the current state while it is SCHEDULED: what the late-runs service scans. */
  next_scheduled_time: string | null;
  start_time: string | null;
  end_time: string | null;
  updated: string;
}

export interface FlowRunTable extends CurrentStateColumns {
  id: string;
  name: string;
  flow_id: string;
  flow_name: string;
  deployment_id: string | null;
  parent_flow_run_id: string | null;
  parent_task_run_id: string | null;
  parameters: string;
  tags: string;
  /** JSON RetryPolicy. */
  empirical_policy: string;
  heartbeat_time: string | null;
  created: string;
}

export interface TaskRunTable extends CurrentStateColumns {
  id: string;
  flow_run_id: string;
  task_key: string;
  name: string;
  dynamic_key: string;
  tags: string;
  max_retries: number;
  /** JSON number or array of numbers. */
  retry_delay_seconds: string;
  cache_key: string | null;
  task_inputs: string;
  subflow_run_id: string | null;
  created: string;
}

export interface StateTable {
  id: string;
  type: StateType;
  name: string;
  message: string | null;
  timestamp: string;
  state_details: string;
  data: string | null;
}

export interface FlowRunStateTable extends StateTable {
  flow_run_id: string;
}

export interface TaskRunStateTable extends StateTable {
  task_run_id: string;
}

export interface LogTable {
  id: string;
  flow_run_id: string;
  task_run_id: string | null;
  name: string;
  level: number;
  message: string;
  timestamp: string;
}

export interface Database {
  flows: FlowTable;
  flow_runs: FlowRunTable;
  flow_run_states: FlowRunStateTable;
  task_runs: TaskRunTable;
  task_run_states: TaskRunStateTable;
  logs: LogTable;
}
