import { z } from "zod";
import { OrchestrationResultSchema } from "../states/index.js";
import { IdPrefixSchema, IdParamsSchema, PageQuerySchema, pageOf } from "./common.js";
import {
  DeploymentListQuerySchema,
  DeploymentRefParamsSchema,
  DeploymentRunResultSchema,
  DeploymentRunSchema,
  DeploymentScheduleParamsSchema,
  DeploymentScheduleUpdateSchema,
  DeploymentSchema,
  DeploymentUpsertResultSchema,
  DeploymentUpsertSchema,
} from "./deployments.js";
import { ScheduleSpecSchema } from "../schedules/schema.js";
import { ClaimRequestSchema, ClaimResultSchema, WhyResultSchema } from "./dispatch.js";
import { SecretParamsSchema, SecretSchema, SecretSetSchema, SecretValueSchema, VariableSchema, VariableSetSchema } from "./secrets.js";
import {
  WorkPoolCreateSchema,
  WorkPoolNameParamsSchema,
  WorkPoolSchema,
  WorkPoolUpdateSchema,
  WorkPoolWriteResultSchema,
  WorkQueueCreateSchema,
  WorkQueueParamsSchema,
  WorkQueueSchema,
  WorkQueueUpdateSchema,
  WorkerHeartbeatSchema,
  WorkerSchema,
} from "./work-pools.js";
import { def } from "./route-def.js";

/**
 * Deployments, work pools, workers, claims, secrets and variables: the routes of the
 * deployments issue. Spread into `routes` (routes.ts) by the server change that mounts them.
 */
export const dispatchRoutes = {
  upsertDeployment: def({ method: "POST", path: "/deployments", permission: "deploy", summary: "Create or update a deployment by flow and name (idempotent)", body: DeploymentUpsertSchema, status: 200, response: DeploymentUpsertResultSchema }),
  listDeployments: def({ method: "GET", path: "/deployments", permission: "read", summary: "List deployments", query: DeploymentListQuerySchema, status: 200, response: pageOf(DeploymentSchema) }),
  readDeployment: def({ method: "GET", path: "/deployments/:id", permission: "read", summary: "Read a deployment", params: IdParamsSchema, status: 200, response: DeploymentSchema }),
  readDeploymentByName: def({ method: "GET", path: "/deployments/name/:flow/:name", permission: "read", summary: "Read a deployment by flow/deployment name", params: DeploymentRefParamsSchema, status: 200, response: DeploymentSchema }),
  deleteDeployment: def({ method: "DELETE", path: "/deployments/:id", permission: "deploy", summary: "Delete a deployment and its future scheduled runs", params: IdParamsSchema, status: 204, response: z.null() }),
  pauseDeployment: def({ method: "POST", path: "/deployments/:id/pause", permission: "deploy", summary: "Pause a deployment's schedules (its future scheduled runs are removed)", params: IdParamsSchema, status: 200, response: DeploymentSchema }),
  resumeDeployment: def({ method: "POST", path: "/deployments/:id/resume", permission: "deploy", summary: "Resume a deployment's schedules", params: IdParamsSchema, status: 200, response: DeploymentSchema }),
  createDeploymentSchedule: def({ method: "POST", path: "/deployments/:id/schedules", permission: "deploy", summary: "Add a schedule to a deployment (cron, interval or rrule, with its time zone); its runs are made at once", params: IdParamsSchema, body: ScheduleSpecSchema, status: 201, response: DeploymentSchema }),
  updateDeploymentSchedule: def({ method: "PATCH", path: "/deployments/:id/schedules/:schedule_id", permission: "deploy", summary: "Pause, resume or change one schedule of a deployment (pausing or a new expression removes the future runs it made)", params: DeploymentScheduleParamsSchema, body: DeploymentScheduleUpdateSchema, status: 200, response: DeploymentSchema }),
  deleteDeploymentSchedule: def({ method: "DELETE", path: "/deployments/:id/schedules/:schedule_id", permission: "deploy", summary: "Delete one schedule of a deployment with the future runs it made", params: DeploymentScheduleParamsSchema, status: 200, response: DeploymentSchema }),
  runDeployment: def({ method: "POST", path: "/deployments/:id/runs", permission: "run", summary: "Create a flow run of a deployment (parameters validated against its schema)", params: IdParamsSchema, body: DeploymentRunSchema, status: 201, response: DeploymentRunResultSchema }),

  createWorkPool: def({ method: "POST", path: "/work_pools", permission: "admin", summary: "Create a work pool (the type's default template when none is given)", body: WorkPoolCreateSchema, status: 201, response: WorkPoolWriteResultSchema }),
  listWorkPools: def({ method: "GET", path: "/work_pools", permission: "read", summary: "List work pools", query: PageQuerySchema.extend({ id_prefix: IdPrefixSchema.optional() }), status: 200, response: pageOf(WorkPoolSchema) }),
  readWorkPool: def({ method: "GET", path: "/work_pools/:name", permission: "read", summary: "Read a work pool", params: WorkPoolNameParamsSchema, status: 200, response: WorkPoolSchema }),
  updateWorkPool: def({ method: "PATCH", path: "/work_pools/:name", permission: "admin", summary: "Update a work pool (pause, resume, template, limit)", params: WorkPoolNameParamsSchema, body: WorkPoolUpdateSchema, status: 200, response: WorkPoolWriteResultSchema }),
  deleteWorkPool: def({ method: "DELETE", path: "/work_pools/:name", permission: "admin", summary: "Delete a work pool and its queues", params: WorkPoolNameParamsSchema, status: 204, response: z.null() }),
  createWorkQueue: def({ method: "POST", path: "/work_pools/:name/queues", permission: "admin", summary: "Create a queue in a pool", params: WorkPoolNameParamsSchema, body: WorkQueueCreateSchema, status: 201, response: WorkQueueSchema }),
  listWorkQueues: def({ method: "GET", path: "/work_pools/:name/queues", permission: "read", summary: "A pool's queues by priority", params: WorkPoolNameParamsSchema, status: 200, response: z.object({ items: z.array(WorkQueueSchema) }) }),
  updateWorkQueue: def({ method: "PATCH", path: "/work_pools/:name/queues/:queue", permission: "admin", summary: "Update a queue", params: WorkQueueParamsSchema, body: WorkQueueUpdateSchema, status: 200, response: WorkQueueSchema }),
  deleteWorkQueue: def({ method: "DELETE", path: "/work_pools/:name/queues/:queue", permission: "admin", summary: "Delete a queue (not the default one)", params: WorkQueueParamsSchema, status: 204, response: z.null() }),
  workerHeartbeat: def({ method: "POST", path: "/work_pools/:name/workers/heartbeat", permission: "work", summary: "A worker is online", params: WorkPoolNameParamsSchema, body: WorkerHeartbeatSchema, status: 200, response: WorkerSchema }),
  listWorkers: def({ method: "GET", path: "/work_pools/:name/workers", permission: "read", summary: "A pool's workers with their status", params: WorkPoolNameParamsSchema, status: 200, response: z.object({ items: z.array(WorkerSchema) }) }),
  claimFlowRuns: def({ method: "POST", path: "/work_pools/:name/claim", permission: "work", summary: "Atomically claim due runs for one worker (long-poll with wait_seconds)", params: WorkPoolNameParamsSchema, body: ClaimRequestSchema, status: 200, response: ClaimResultSchema }),

  cancelFlowRun: def({ method: "POST", path: "/flow_runs/:id/cancel", permission: "run", summary: "Cancel a run: CANCELLED if it has not started, else CANCELLING until its process ends", params: IdParamsSchema, status: 200, response: OrchestrationResultSchema }),
  whyFlowRun: def({ method: "GET", path: "/flow_runs/:id/why", permission: "read", summary: "Why a run has not started", params: IdParamsSchema, status: 200, response: WhyResultSchema }),

  setSecret: def({ method: "PUT", path: "/secrets/:name", permission: "admin", summary: "Set a secret (stored encrypted)", params: SecretParamsSchema, body: SecretSetSchema, status: 200, response: SecretSchema }),
  listSecrets: def({ method: "GET", path: "/secrets", permission: "read", summary: "Secret names and dates, never values", query: PageQuerySchema, status: 200, response: pageOf(SecretSchema) }),
  deleteSecret: def({ method: "DELETE", path: "/secrets/:name", permission: "admin", summary: "Delete a secret", params: SecretParamsSchema, status: 204, response: z.null() }),
  readSecretValue: def({ method: "GET", path: "/secrets/:name/value", permission: "work", summary: "A secret's value, for the run that references it", params: SecretParamsSchema, status: 200, response: SecretValueSchema }),
  setVariable: def({ method: "PUT", path: "/variables/:name", permission: "deploy", summary: "Set a variable", params: SecretParamsSchema, body: VariableSetSchema, status: 200, response: VariableSchema }),
  listVariables: def({ method: "GET", path: "/variables", permission: "read", summary: "List variables", query: PageQuerySchema, status: 200, response: pageOf(VariableSchema) }),
  readVariable: def({ method: "GET", path: "/variables/:name", permission: "read", summary: "Read a variable", params: SecretParamsSchema, status: 200, response: VariableSchema }),
  deleteVariable: def({ method: "DELETE", path: "/variables/:name", permission: "deploy", summary: "Delete a variable", params: SecretParamsSchema, status: 204, response: z.null() }),
} as const;
