import { z } from "zod";
import { ScheduleExpressionSchema, ScheduleSpecSchema } from "../schedules/schema.js";
import { EntrypointSchema } from "../project/baton-yaml.js";
import { PullStepSchema, ResolvedPullStepSchema } from "../project/pull-steps.js";
import { urlCredentialProblem } from "../project/repository-url.js";
import { checkTemplateStrings } from "../templating/limits.js";
import { expandDottedJobVariables } from "../job-templates/dotted.js";

/** Job variables as a deployment or a run sets them: `env.FOO: bar` is read as `env: { FOO: bar }`. */
const JobVariablesInputSchema = z.record(z.string(), z.unknown()).superRefine(checkTemplateStrings).transform(expandDottedJobVariables);
import { FlowRunSchema } from "./flow-runs.js";
import { IdPrefixSchema, IdSchema, PageQuerySchema, ResourceNameSchema, TagsSchema, TimestampSchema } from "./common.js";
import { FlowNameSchema } from "./flows.js";

const name = ResourceNameSchema;
export const DeploymentNameSchema = name;

/** Where the code came from, shown to anyone who reads the deployment: never with a token in it. */
const SourceInputSchema = z
  .object({
    repository: z
      .string()
      .max(2000)
      .superRefine((url, ctx) => {
        const problem = urlCredentialProblem(url);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional(),
    branch: z.string().max(500).optional(),
    commit: z.string().max(200).optional(),
  })
  .nullable()
  .optional();

import { SERVE_ENTRYPOINT } from "../names.js";
export { SERVE_ENTRYPOINT };

export const DeploymentScheduleSchema = z.object({
  id: IdSchema,
  /** The spec as given: one of cron, interval (seconds), rrule; timezone; anchor_date; parameters. */
  schedule: z.object({
    cron: z.string().optional(),
    interval: z.number().optional(),
    rrule: z.string().optional(),
    /** Cron only: false fires on days matching day-of-month AND day-of-week (absent: OR). */
    day_or: z.boolean().optional(),
    anchor_date: z.string().optional(),
    timezone: z.string(),
  }),
  active: z.boolean(),
  parameters: z.record(z.string(), z.unknown()),
});
export type DeploymentSchedule = z.infer<typeof DeploymentScheduleSchema>;

export const DeploymentSchema = z.object({
  id: IdSchema,
  name: z.string(),
  flow_id: IdSchema,
  flow_name: z.string(),
  entrypoint: z.string(),
  description: z.string().nullable(),
  version: z.string().nullable(),
  tags: z.array(z.string()),
  parameters: z.record(z.string(), z.unknown()),
  /** JSON Schema of the flow's parameters, read from the flow at deploy time. */
  parameter_schema: z.record(z.string(), z.unknown()).nullable(),
  enforce_parameter_schema: z.boolean(),
  /** How a run gets the code; `[]`: it is already where the run starts. Secrets stay as references. */
  pull_steps: z.array(ResolvedPullStepSchema),
  schedules: z.array(DeploymentScheduleSchema),
  paused: z.boolean(),
  concurrency_limit: z.number().int().nullable(),
  work_pool_name: z.string().nullable(),
  work_queue_name: z.string().nullable(),
  job_variables: z.record(z.string(), z.unknown()),
  /** Where the code came from when deployed, for people: repository, branch, commit. */
  source: z.object({ repository: z.string().optional(), branch: z.string().optional(), commit: z.string().optional() }).nullable(),
  created: TimestampSchema,
  updated: TimestampSchema,
});
export type Deployment = z.infer<typeof DeploymentSchema>;

/** `POST /deployments` creates or updates by `flow_name/name`; the same body twice changes nothing. */
export const DeploymentUpsertSchema = z
  .object({
    flow_name: FlowNameSchema,
    name,
    entrypoint: z.union([EntrypointSchema, z.literal(SERVE_ENTRYPOINT)]),
    description: z.string().max(5000).optional(),
    version: z.string().max(200).optional(),
    tags: TagsSchema.default([]),
    parameters: z.record(z.string(), z.unknown()).default({}),
    parameter_schema: z.record(z.string(), z.unknown()).nullable().default(null),
    enforce_parameter_schema: z.boolean().default(true),
    pull_steps: z.array(PullStepSchema).superRefine(checkTemplateStrings).default([]),
    schedules: z.array(ScheduleSpecSchema).default([]),
    paused: z.boolean().default(false),
    concurrency_limit: z.number().int().positive().nullable().optional(),
    work_pool_name: z.string().min(1).nullable().optional(),
    work_queue_name: z.string().min(1).nullable().optional(),
    job_variables: JobVariablesInputSchema.default({}),
    source: SourceInputSchema,
  })
  .strict();
export type DeploymentUpsert = z.input<typeof DeploymentUpsertSchema>;

export const DeploymentUpsertResultSchema = z.object({
  deployment: DeploymentSchema,
  /** created, updated, or unchanged (deploying the same thing twice). */
  outcome: z.enum(["created", "updated", "unchanged"]),
});

export const DeploymentListQuerySchema = PageQuerySchema.extend({
  flow_name: z.string().optional(),
  /** Deployments with this name, in any flow. */
  name: z.string().min(1).max(200).optional(),
  /** Deployments whose ID starts with this. */
  id_prefix: IdPrefixSchema.optional(),
  work_pool_name: z.string().optional(),
  tag: z.string().optional(),
});

export const DeploymentRefParamsSchema = z.object({ flow: FlowNameSchema, name });

/** One schedule of one deployment, by ids. */
export const DeploymentScheduleParamsSchema = z.object({ id: IdSchema, schedule_id: IdSchema });

/**
 * One schedule changed by itself, the deployment's other schedules untouched: switched on or off
 * (`active`), and/or given a new expression (`schedule`: cron, interval or rrule with its time
 * zone, as Prefect's `DeploymentScheduleUpdate`). A new expression replaces the future runs the
 * old one made.
 */
export const DeploymentScheduleUpdateSchema = z
  .object({ active: z.boolean().optional(), schedule: ScheduleExpressionSchema.optional() })
  .strict()
  .refine((b) => b.active !== undefined || b.schedule !== undefined, { path: ["active"], message: "give active (true or false), schedule (cron, interval or rrule, with timezone), or both" });
export type DeploymentScheduleUpdate = z.infer<typeof DeploymentScheduleUpdateSchema>;

export const DeploymentRunSchema = z
  .object({
    parameters: z.record(z.string(), z.unknown()).default({}),
    job_variables: JobVariablesInputSchema.default({}),
    tags: TagsSchema.default([]),
    name: z.string().min(1).max(200).optional(),
    /** Run later; now when omitted. */
    scheduled_time: TimestampSchema.optional(),
    /** The same key twice creates one run (a retried CI job, a double click). */
    idempotency_key: z.string().min(1).max(200).optional(),
    /**
     * A run started from another run's code (`runDeployment` in a flow): the caller may choose the
     * new run's ID (so its task run can name it first, and a retried request finds it), and links
     * it as a child of its run (and of the task run standing for the call, when shown as a subflow).
     */
    id: IdSchema.optional(),
    parent_flow_run_id: IdSchema.optional(),
    parent_task_run_id: IdSchema.optional(),
    /**
     * With a parent: cancelling the parent cancels this run too (true, the default), or leaves
     * it running to its own end (false: a run meant to outlive the flow that started it).
     */
    cancel_with_parent: z.boolean().optional(),
  })
  .strict();
export const DeploymentRunResultSchema = FlowRunSchema;
