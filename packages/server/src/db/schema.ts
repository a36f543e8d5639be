import type { Role, StateType } from "@baton/core";
import type { Generated } from "kysely";
import type { AutomationFiringTable, AutomationTable, NotificationDeliveryTable, NotificationRuleTable, RunEventTable } from "./schema-notifications.js";

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
  /** 0015: the W3C traceparent its creation carried. */
  traceparent: string | null;
  created: string;
  /** Dispatch (0002): where a deployment's run goes, who claimed it and until when. */
  deployment_name: string | null;
  work_pool_name: string | null;
  work_queue_name: string | null;
  /** JSON object. */
  job_variables: string | null;
  worker_name: string | null;
  idempotency_key: string | null;
  /** A PENDING run not started by then goes back to SCHEDULED. */
  lease_expiration: string | null;
  /** The deployment schedule that made this run, if the scheduler did. */
  schedule_id: string | null;
  /** Claims (0005): the current claim's id (run tokens name it) and the API key that made it. */
  claim_id: string | null;
  claim_key_id: string | null;
  /** 0018: 1 when cancelling its parent run cancels this run too; 0 when it was started to outlive its parent. */
  cancel_with_parent: number;
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

/** Booleans are integers 0/1 on both databases. */
export interface WorkPoolTable {
  id: string;
  name: string;
  type: string;
  description: string | null;
  /** JSON BaseJobTemplate. */
  base_job_template: string;
  concurrency_limit: number | null;
  paused: number;
  created: string;
  updated: string;
}

export interface WorkQueueTable {
  id: string;
  work_pool_id: string;
  name: string;
  description: string | null;
  priority: number;
  concurrency_limit: number | null;
  paused: number;
  created: string;
  updated: string;
}

export interface WorkerTable {
  id: string;
  work_pool_id: string;
  name: string;
  last_heartbeat_time: string;
  heartbeat_interval_seconds: number;
  created: string;
}

export interface DeploymentTable {
  id: string;
  flow_id: string;
  flow_name: string;
  name: string;
  entrypoint: string;
  description: string | null;
  version: string | null;
  tags: string;
  parameters: string;
  parameter_schema: string | null;
  enforce_parameter_schema: number;
  pull_steps: string;
  paused: number;
  concurrency_limit: number | null;
  work_pool_name: string | null;
  work_queue_name: string | null;
  job_variables: string;
  source: string | null;
  created: string;
  updated: string;
}

export interface DeploymentScheduleTable {
  id: string;
  deployment_id: string;
  position: number;
  /** JSON ScheduleSpec. */
  schedule: string;
  active: number;
  parameters: string;
  created: string;
  /** The last time the scheduler made a run for (0012); the next computation starts after it. */
  scheduled_through: string | null;
  /** When the scheduler must look at this schedule again (0012): the epoch means now. */
  fill_due: Generated<string>;
  /** The pass that holds this schedule's batch (0012), null when none. */
  fill_claim: string | null;
}

export interface SecretTable {
  name: string;
  nonce: string;
  ciphertext: string;
  auth_tag: string;
  created: string;
  updated: string;
  /** Scope (0005): JSON arrays of pool names / `flow/deployment` names or patterns that may use it. */
  scope_work_pools: string;
  scope_deployments: string;
}

export interface VariableTable {
  name: string;
  /** JSON value. */
  value: string;
  created: string;
  updated: string;
}

/** 0013: a global concurrency or rate limit. */
export interface ConcurrencyLimitTable {
  id: string;
  name: string;
  limit: number;
  /** 1 or 0. */
  active: number;
  slot_decay_per_second: number;
  decaying_slots: number;
  decayed_at: string | null;
  created: string;
  updated: string;
}

/** 0013: slots of one limit held under a lease (a lease over several limits has a row per limit). */
export interface ConcurrencyLeaseTable {
  id: string;
  limit_id: string;
  slots: number;
  expires: string;
  flow_run_id: string | null;
  task_run_id: string | null;
  created: string;
}

/** 0013: a run refused slots, until it gets them. */
export interface ConcurrencyWaitTable {
  flow_run_id: string;
  limit_name: string;
  since: string;
  seen: string;
}

/** 0015: an artifact of a flow run; a keyed one is a version of its key (the newest id is current). */
export interface ArtifactTable {
  id: string;
  key: string | null;
  type: string;
  description: string | null;
  /** JSON text. */
  data: string;
  flow_run_id: string;
  task_run_id: string | null;
  created: string;
  updated: string;
}

/** Auth (0003): an API key; only its SHA-256 is kept. */
export interface ApiKeyTable {
  id: string;
  name: string;
  role: Role;
  /** The key's first characters, to tell keys apart in lists. */
  prefix: string;
  /** SHA-256 of the whole key, hex. */
  key_hash: string;
  /** JSON array of pool names, or null: no limit. */
  work_pools: string | null;
  /** JSON array of `flow/deployment`, or null: no limit. */
  deployments: string | null;
  created: string;
  expires: string | null;
  last_used: string | null;
  revoked: string | null;
}

/** A UI session; the cookie holds the id, the table only its SHA-256. */
export interface SessionTable {
  id_hash: string;
  api_key_id: string;
  csrf_token: string;
  created: string;
  expires: string;
}

export interface AuditLogTable {
  id: string;
  time: string;
  actor: string;
  role: Role | null;
  action: string;
  object: string;
  status: number;
  address: string | null;
}

/** Runs per hour (by when they were due) and state type, for all runs and per flow, deployment and pool (0014). */
export interface FlowRunCountTable {
  dim: "all" | "flow" | "deployment" | "pool";
  key: string;
  hour: number;
  state_type: string;
  count: number;
}

/** A change to `flow_run_counts` written by the flow_runs triggers, not folded in yet. */
export interface FlowRunCountChangeTable {
  id: Generated<number>;
  hour: number;
  flow_id: string;
  deployment_id: string | null;
  work_pool_name: string | null;
  state_type: string;
  delta: number;
}

export type { AutomationFiringTable, AutomationTable, NotificationDeliveryTable, NotificationRuleTable, RunEventTable };

export interface Database {
  flows: FlowTable;
  flow_runs: FlowRunTable;
  flow_run_states: FlowRunStateTable;
  task_runs: TaskRunTable;
  task_run_states: TaskRunStateTable;
  logs: LogTable;
  work_pools: WorkPoolTable;
  work_queues: WorkQueueTable;
  workers: WorkerTable;
  deployments: DeploymentTable;
  deployment_schedules: DeploymentScheduleTable;
  secrets: SecretTable;
  variables: VariableTable;
  concurrency_limits: ConcurrencyLimitTable;
  results: ResultTable;
  result_chunks: ResultChunkTable;
  result_uploads: ResultUploadTable;
  concurrency_leases: ConcurrencyLeaseTable;
  concurrency_waits: ConcurrencyWaitTable;
  artifacts: ArtifactTable;
  api_keys: ApiKeyTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  flow_run_counts: FlowRunCountTable;
  flow_run_count_changes: FlowRunCountChangeTable;
  notification_rules: NotificationRuleTable;
  run_events: RunEventTable;
  notification_deliveries: NotificationDeliveryTable;
  automations: AutomationTable;
  automation_firings: AutomationFiringTable;
}

/** A stored result (migration 0017): a flow run's persisted result, or a cache entry (owner 'cache'). */
export interface ResultTable {
  owner: string;
  key: string;
  /** Its bytes are the `result_chunks` of this blob, in `seq` order (0023). */
  blob: string;
  size: number;
  created: string;
}

export interface ResultChunkTable {
  blob: string;
  seq: number;
  content: Buffer;
}

/** 0023: a streamed write in progress: its chunks are stored before any result names them. */
export interface ResultUploadTable {
  blob: string;
  started: string;
}
