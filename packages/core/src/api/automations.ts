import { z } from "zod";
import { IdParamsSchema, IdSchema, PageQuerySchema, TimestampSchema, pageOf } from "./common.js";
import { AutomationTriggerSchema, DeploymentRefSchema, DeploymentTriggerSchema } from "../automations/triggers.js";
import { ResourceNameSchema } from "../resource-name.js";
import { def } from "./route-def.js";

export { AutomationTriggerSchema, DeploymentTriggerSchema, deploymentTriggerName, type AutomationTrigger, type DeploymentTrigger } from "../automations/triggers.js";

/**
 * Automations (issue 15 part 3): a trigger and the actions it fires. Evaluated in one place in the
 * server (the notifications' outbox for state events, a periodic look for the rest); each firing
 * is recorded once per event across replicas, and its actions run at least once.
 */
const DeploymentRef = DeploymentRefSchema;

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
  /** The deployment whose `triggers:` made it (baton deploy keeps it in step), or null. */
  deployment_id: z.string().nullable(),
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

export const DeploymentTriggersBodySchema = z.object({ triggers: z.array(DeploymentTriggerSchema).max(20, "at most 20 triggers on a deployment") }).strict();
export const DeploymentTriggersResultSchema = z.object({
  automations: z.array(AutomationSchema.extend({ outcome: z.enum(["created", "updated", "unchanged"]) })),
  /** Names of the automations it owned and no longer lists. */
  deleted: z.array(z.string()),
});
export type DeploymentTriggersResult = z.infer<typeof DeploymentTriggersResultSchema>;

export const automationRoutes = {
  createAutomation: def({ method: "POST", path: "/automations", permission: "deploy", summary: "Create an automation: a trigger and the actions it fires", body: AutomationCreateSchema, status: 201, response: AutomationSchema }),
  listAutomations: def({ method: "GET", path: "/automations", permission: "read", summary: "List automations", query: PageQuerySchema, status: 200, response: pageOf(AutomationSchema) }),
  readAutomation: def({ method: "GET", path: "/automations/:name", permission: "read", summary: "Read an automation", params: AutomationParamsSchema, status: 200, response: AutomationSchema }),
  pauseAutomation: def({ method: "POST", path: "/automations/:name/pause", permission: "deploy", summary: "Stop an automation firing", params: AutomationParamsSchema, status: 200, response: AutomationSchema }),
  resumeAutomation: def({ method: "POST", path: "/automations/:name/resume", permission: "deploy", summary: "Let an automation fire again", params: AutomationParamsSchema, status: 200, response: AutomationSchema }),
  deleteAutomation: def({ method: "DELETE", path: "/automations/:name", permission: "deploy", summary: "Delete an automation (its firings stay)", params: AutomationParamsSchema, status: 204, response: z.null() }),
  setDeploymentTriggers: def({ method: "PUT", path: "/deployments/:id/triggers", permission: "deploy", summary: "Make a deployment's triggers its automations: new ones created, changed ones updated, those no longer listed deleted", params: IdParamsSchema, body: DeploymentTriggersBodySchema, status: 200, response: DeploymentTriggersResultSchema }),
  listAutomationFirings: def({ method: "GET", path: "/automation_firings", permission: "read", summary: "Each firing of the automations, newest first", query: AutomationFiringListQuerySchema, status: 200, response: pageOf(AutomationFiringSchema) }),
} as const;
