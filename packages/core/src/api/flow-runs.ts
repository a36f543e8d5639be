import { z } from "zod";
import { StateCreateSchema, StateSchema, StateTypeSchema } from "../states/index.js";
import { IdPrefixSchema, IdSchema, PageQuerySchema, TagsSchema, TimestampSchema } from "./common.js";
import { FlowNameSchema } from "./flows.js";

export const RetryPolicySchema = z
  .object({
    retries: z.number().int().min(0).max(1000).default(0),
    /** Seconds before each retry: one value for all, or one per attempt (the last repeats). */
    retry_delay_seconds: z.union([z.number().min(0), z.array(z.number().min(0)).min(1)]).default(0),
  })
  .strict();
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

export const FlowRunSchema = z.object({
  id: IdSchema,
  name: z.string(),
  flow_id: IdSchema,
  flow_name: z.string(),
  deployment_id: IdSchema.nullable(),
  /** Set on a run of a deployment: where it is dispatched and with what. */
  deployment_name: z.string().nullable(),
  work_pool_name: z.string().nullable(),
  work_queue_name: z.string().nullable(),
  /** The run's own job variables, over the deployment's and the pool's defaults. */
  job_variables: z.record(z.string(), z.unknown()).nullable(),
  /** The worker that claimed it. */
  worker_name: z.string().nullable(),
  /** The same key twice on one deployment creates one run. */
  idempotency_key: z.string().nullable(),
  /** Set for a subflow run: the parent run, and the task run that stands for it there. */
  parent_flow_run_id: IdSchema.nullable(),
  parent_task_run_id: IdSchema.nullable(),
  /** A child run is cancelled with its parent, unless it was started with cancel_with_parent false. */
  cancel_with_parent: z.boolean(),
  parameters: z.record(z.string(), z.unknown()),
  tags: z.array(z.string()),
  state_type: StateTypeSchema,
  state_name: z.string(),
  state: StateSchema,
  run_count: z.number().int(),
  empirical_policy: RetryPolicySchema,
  expected_start_time: TimestampSchema.nullable(),
  start_time: TimestampSchema.nullable(),
  end_time: TimestampSchema.nullable(),
  /** Last sign of life from the process running it; a RUNNING run that stops sending them is CRASHED. */
  heartbeat_time: TimestampSchema.nullable(),
  /** The W3C trace context its creation carried (a `traceparent` header): the run's trace continues it. */
  traceparent: z.string().nullable().optional(),
  created: TimestampSchema,
  updated: TimestampSchema,
});
export type FlowRun = z.infer<typeof FlowRunSchema>;

export const FlowRunCreateSchema = z
  .object({
    /** Clients may choose the ID (UUIDv7), so a retried request cannot create a second run. */
    id: IdSchema.optional(),
    flow_name: FlowNameSchema,
    name: z.string().min(1).max(200).optional(),
    parameters: z.record(z.string(), z.unknown()).default({}),
    tags: TagsSchema.default([]),
    parent_task_run_id: IdSchema.optional(),
    parent_flow_run_id: IdSchema.optional(),
    empirical_policy: RetryPolicySchema.default({ retries: 0, retry_delay_seconds: 0 }),
    /** The first state; PENDING when not given. */
    state: StateCreateSchema.optional(),
  })
  .strict();
export type FlowRunCreate = z.input<typeof FlowRunCreateSchema>;

const csv = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter(Boolean));

/** The orders the runs list pages in, each with its own keyset cursor. */
export const FLOW_RUN_SORTS = ["created_desc", "created_asc", "start_time_desc", "start_time_asc", "duration_desc", "duration_asc"] as const;
export type FlowRunSort = (typeof FLOW_RUN_SORTS)[number];

export const FlowRunListQuerySchema = PageQuerySchema.extend({
  /** One or more state types or names, comma-separated: `FAILED,CRASHED` or `Late`. */
  state: csv.optional(),
  flow_name: z.string().optional(),
  /** Runs with exactly this name (names are not unique). */
  name: z.string().min(1).max(200).optional(),
  /** Runs whose ID starts with this. */
  id_prefix: IdPrefixSchema.optional(),
  flow_id: IdSchema.optional(),
  parent_flow_run_id: IdSchema.optional(),
  deployment_id: IdSchema.optional(),
  work_pool_name: z.string().optional(),
  /** One or more tags, comma-separated: runs that carry all of them. */
  tag: csv.optional(),
  /** A time range (ISO-8601, `after` inclusive, `before` exclusive) on when runs were created... */
  created_after: TimestampSchema.optional(),
  created_before: TimestampSchema.optional(),
  /** ...or on when they were due to start (the first scheduled time; creation for unscheduled runs). */
  expected_start_after: TimestampSchema.optional(),
  expected_start_before: TimestampSchema.optional(),
  /**
   * Runs scheduled for later (SCHEDULED, due in the future): `include` them (default), `exclude`
   * them (a schedule fills up to 100 runs ahead, which would hide what ran), or list `only` them.
   */
  upcoming: z.enum(["include", "exclude", "only"]).default("include"),
  /**
   * Newest first unless `asc`. `start_time_*` and `duration_*` (end_time - start_time) order the
   * runs that have the value first and then the others (not started; for duration also not
   * finished: a running run's duration changes while you page) by ID, which follows creation.
   */
  sort: z.enum(FLOW_RUN_SORTS).default("created_desc"),
});

/** Runs counted past this many are reported as "10,000+": counting stops there, so a count costs at most that many index entries. */
export const FLOW_RUN_COUNT_CAP = 10_000;
/** The list's filters, without its paging: how many runs the list would page through. */
export const FlowRunCountQuerySchema = FlowRunListQuerySchema.omit({ limit: true, cursor: true, sort: true });
export const FlowRunCountSchema = z.object({
  /** Matching runs, at most FLOW_RUN_COUNT_CAP. */
  count: z.number().int(),
  /** True when counting stopped at the cap: there are at least `count` runs ("10,000+"). */
  capped: z.boolean(),
});
export type FlowRunCount = z.output<typeof FlowRunCountSchema>;

/** The longest a wait for a run's final state holds its request (as a claim's wait_seconds). */
export const MAX_FLOW_RUN_WAIT_SECONDS = 60;
/** `GET /flow_runs/:id/wait`: how long to hold the answer for the run's final state. */
export const FlowRunWaitQuerySchema = z.object({
  wait_seconds: z.coerce.number().min(0).max(MAX_FLOW_RUN_WAIT_SECONDS).default(30),
});
export type FlowRunListQuery = z.input<typeof FlowRunListQuerySchema>;

export const SetStateBodySchema = z
  .object({
    state: StateCreateSchema,
    /** Skip the orchestration rules (an operator's explicit retry or repair). */
    force: z.boolean().default(false),
    /**
     * The claim the sender acts under (a worker supervising the run it claimed): the state
     * applies only while that claim is still the run's, else 409 StaleClaim. A run token's claim
     * is checked without it.
     */
    claim_id: z.string().min(1).max(100).optional(),
  })
  .strict();
export type SetStateBody = z.input<typeof SetStateBodySchema>;

export const HeartbeatResultSchema = z.object({ state_type: StateTypeSchema, state_name: z.string() });
