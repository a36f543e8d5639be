import { z } from "zod";
import { IdSchema, PageQuerySchema, TimestampSchema, pageOf } from "./common.js";
import { NotifyStateSchema, RunMatchSchema } from "./notifications.js";
import { ResourceNameSchema } from "../resource-name.js";
import { def } from "./route-def.js";
import { TIME_OF_DAY } from "../schedules/daily-deadline.js";
import { isValidTimeZone } from "../schedules/zone.js";

/**
 * Automations (issue 15 part 3): a trigger and the actions it fires. Evaluated in one place in the
 * server (the notifications' outbox for state events, a periodic look for the rest); each firing
 * is recorded once per event across replicas, and its actions run at least once.
 */
const Match = RunMatchSchema.default({ flows: [], deployments: [], tags: [], work_pools: [] });
const DeploymentRef = z.string().regex(/^[^/\s]+\/[^/\s]+$/, "must be flow/deployment, e.g. etl/nightly");

export const AutomationTriggerSchema = z.discriminatedUnion("type", [
  /** A run of a matching flow, deployment, tag or pool enters one of `states`. */
  z.object({ type: z.literal("state"), states: z.array(NotifyStateSchema).min(1, "give at least one of FAILED, CRASHED, LATE, CANCELLED, COMPLETED").max(5), match: Match }).strict(),
  /** A matching run is still Running `seconds` after it started. */
  z.object({ type: z.literal("running_longer_than"), seconds: z.number().int().min(1).max(30 * 86_400), match: Match }).strict(),
  /**
   * No run of `deployment` entered Completed between the previous day's `time` and today's, on the
   * clock of `timezone` (default: the deployment's first schedule's, else UTC). Fires once a day.
   */
  z
    .object({
      type: z.literal("no_completed_run_by"),
      deployment: DeploymentRef,
      time: z.string().regex(TIME_OF_DAY, "must be HH:MM or HH:MM:SS on a 24-hour clock, e.g. 07:00"),
      timezone: z.string().refine(isValidTimeZone, "must be an IANA time zone such as Europe/Paris or UTC").optional(),
    })
    .strict(),
  /** None of a pool's workers has been online for `seconds` (every pool when `work_pools` is empty). Fires once an outage. */
  z.object({ type: z.literal("work_pool_offline"), work_pools: z.array(ResourceNameSchema).default([]), seconds: z.number().int().min(1).max(30 * 86_400) }).strict(),
]);
export type AutomationTrigger = z.input<typeof AutomationTriggerSchema>;

/**
 * What a firing does, in order. In `parameters`, a string `{{ flow_run.id }}` (also
 * `flow_run.name`, `flow_run.flow_name`, `flow_run.deployment`, `state.name`, `state.message`)
 * takes the triggering run's value.
 */
export const AutomationActionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("run_deployment"), deployment: DeploymentRef, parameters: z.record(z.string(), z.unknown()).default({}) }).strict(),
  z.object({ type: z.literal("cancel_run") }).strict(),
  z.object({ type: z.literal("pause_deployment"), deployment: DeploymentRef }).strict(),
  z.object({ type: z.literal("resume_deployment"), deployment: DeploymentRef }).strict(),
  z.object({ type: z.literal("pause_work_pool"), work_pool: ResourceNameSchema }).strict(),
  z.object({ type: z.literal("resume_work_pool"), work_pool: ResourceNameSchema }).strict(),
  /** Send through a notification rule's target (the rule need not be enabled). */
  z.object({ type: z.literal("notify"), rule: ResourceNameSchema }).strict(),
]);
export type AutomationAction = z.input<typeof AutomationActionSchema>;

export const AutomationCreateSchema = z
  .object({
    name: ResourceNameSchema,
    trigger: AutomationTriggerSchema,
    actions: z.array(AutomationActionSchema).min(1, "give at least one action").max(10),
    enabled: z.boolean().default(true),
  })
  .strict();
export type AutomationCreate = z.input<typeof AutomationCreateSchema>;

export const AutomationSchema = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  trigger: AutomationTriggerSchema,
  actions: z.array(AutomationActionSchema),
  created: TimestampSchema,
  updated: TimestampSchema,
});
export type Automation = z.output<typeof AutomationSchema>;

export const AutomationFiringSchema = z.object({
  id: z.string(),
  automation_id: z.string(),
  automation_name: z.string(),
  flow_run_id: z.string().nullable(),
  /** FAILED, LATE, ..., RUNNING_LONG, NO_COMPLETED_RUN or WORK_POOL_OFFLINE. */
  event: z.string(),
  status: z.enum(["pending", "done", "failed"]),
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  created: TimestampSchema,
  done_at: TimestampSchema.nullable(),
});
export type AutomationFiring = z.infer<typeof AutomationFiringSchema>;

export const AutomationParamsSchema = z.object({ name: ResourceNameSchema });
export const AutomationFiringListQuerySchema = PageQuerySchema.extend({ automation: ResourceNameSchema.optional(), flow_run_id: IdSchema.optional() });

export const automationRoutes = {
  createAutomation: def({ method: "POST", path: "/automations", permission: "deploy", summary: "Create an automation: a trigger and the actions it fires", body: AutomationCreateSchema, status: 201, response: AutomationSchema }),
  listAutomations: def({ method: "GET", path: "/automations", permission: "read", summary: "List automations", query: PageQuerySchema, status: 200, response: pageOf(AutomationSchema) }),
  readAutomation: def({ method: "GET", path: "/automations/:name", permission: "read", summary: "Read an automation", params: AutomationParamsSchema, status: 200, response: AutomationSchema }),
  pauseAutomation: def({ method: "POST", path: "/automations/:name/pause", permission: "deploy", summary: "Stop an automation firing", params: AutomationParamsSchema, status: 200, response: AutomationSchema }),
  resumeAutomation: def({ method: "POST", path: "/automations/:name/resume", permission: "deploy", summary: "Let an automation fire again", params: AutomationParamsSchema, status: 200, response: AutomationSchema }),
  deleteAutomation: def({ method: "DELETE", path: "/automations/:name", permission: "deploy", summary: "Delete an automation (its firings stay)", params: AutomationParamsSchema, status: 204, response: z.null() }),
  listAutomationFirings: def({ method: "GET", path: "/automation_firings", permission: "read", summary: "Each firing of the automations, newest first", query: AutomationFiringListQuerySchema, status: 200, response: pageOf(AutomationFiringSchema) }),
} as const;
