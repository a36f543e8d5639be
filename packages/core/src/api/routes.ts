import { z } from "zod";
import { OrchestrationResultSchema, StateSchema } from "../states/index.js";
import {
  HealthSchema,
  IdParamsSchema,
  PageQuerySchema,
  ReadySchema,
  VersionSchema,
  pageOf,
} from "./common.js";
import { FlowCreateSchema, FlowListQuerySchema, FlowSchema } from "./flows.js";
import {
  FlowRunCreateSchema,
  FlowRunCountQuerySchema,
  FlowRunWaitQuerySchema,
  FlowRunCountSchema,
  FlowRunListQuerySchema,
  FlowRunSchema,
  HeartbeatResultSchema,
  SetStateBodySchema,
} from "./flow-runs.js";
import { LogCreateSchema, LogListQuerySchema, LogSchema } from "./logs.js";
import { RunReportResultSchema, RunReportSchema } from "./reports.js";
import { TaskRunCreateSchema, TaskRunListQuerySchema, TaskRunSchema } from "./task-runs.js";
import { dispatchRoutes } from "./dispatch-routes.js";
import { concurrencyRoutes } from "./concurrency.js";
import { notificationRoutes } from "./notifications.js";
import { automationRoutes } from "./automations.js";
import { artifactRoutes } from "./artifacts.js";
import { resultRoutes } from "./results.js";
import { authRoutes } from "./auth-routes.js";
import { uiRoutes } from "./ui-routes.js";
import { eventHistoryRoutes } from "./event-history.js";
import { def } from "./route-def.js";

export type { Permission, RouteDef } from "./route-def.js";

/** The API, in one table: the server mounts it, the client calls it, OpenAPI describes it. */
export const routes = {
  health: def({ method: "GET", path: "/health", permission: "none", summary: "The process is up", status: 200, response: HealthSchema }),
  ready: def({ method: "GET", path: "/ready", permission: "none", summary: "The database answers", status: 200, response: ReadySchema }),
  version: def({ method: "GET", path: "/version", permission: "read", summary: "Server and API version", status: 200, response: VersionSchema }),

  createFlow: def({ method: "POST", path: "/flows", permission: "work", summary: "Register a flow by name (idempotent)", body: FlowCreateSchema, status: 200, response: FlowSchema }),
  listFlows: def({ method: "GET", path: "/flows", permission: "read", summary: "List flows", query: PageQuerySchema.merge(FlowListQuerySchema), status: 200, response: pageOf(FlowSchema) }),
  readFlow: def({ method: "GET", path: "/flows/:id", permission: "read", summary: "Read a flow", params: IdParamsSchema, status: 200, response: FlowSchema }),

  createFlowRun: def({ method: "POST", path: "/flow_runs", permission: "work", summary: "Create a flow run (its flow is registered if new)", body: FlowRunCreateSchema, status: 201, response: FlowRunSchema }),
  listFlowRuns: def({ method: "GET", path: "/flow_runs", permission: "read", summary: "List flow runs, newest first or by start time or duration (sort)", query: FlowRunListQuerySchema, status: 200, response: pageOf(FlowRunSchema) }),
  countFlowRuns: def({ method: "GET", path: "/flow_runs/count", permission: "read", summary: "How many runs the list's filters match, counted up to 10,000 (capped: true past that)", query: FlowRunCountQuerySchema, status: 200, response: FlowRunCountSchema }),
  readFlowRun: def({ method: "GET", path: "/flow_runs/:id", permission: "read", summary: "Read a flow run", params: IdParamsSchema, status: 200, response: FlowRunSchema }),
  waitForFlowRun: def({ method: "GET", path: "/flow_runs/:id/wait", permission: "read", summary: "Read a flow run once its state is final, or as it is when wait_seconds have passed", params: IdParamsSchema, query: FlowRunWaitQuerySchema, status: 200, response: FlowRunSchema }),
  deleteFlowRun: def({ method: "DELETE", path: "/flow_runs/:id", permission: "run", summary: "Delete a flow run with its task runs, states and logs", params: IdParamsSchema, status: 204, response: z.null() }),
  setFlowRunState: def({ method: "POST", path: "/flow_runs/:id/set_state", permission: "work", summary: "Propose a state; the orchestration rules answer", params: IdParamsSchema, body: SetStateBodySchema, status: 200, response: OrchestrationResultSchema }),
  flowRunStates: def({ method: "GET", path: "/flow_runs/:id/states", permission: "read", summary: "A flow run's state history, oldest first", params: IdParamsSchema, query: PageQuerySchema, status: 200, response: pageOf(StateSchema) }),
  heartbeatFlowRun: def({ method: "POST", path: "/flow_runs/:id/heartbeat", permission: "work", summary: "A running flow is alive", params: IdParamsSchema, status: 200, response: HeartbeatResultSchema }),

  reportRun: def({ method: "POST", path: "/reports", permission: "work", summary: "Task runs, their states and logs from a running flow, in one transaction", body: RunReportSchema, status: 200, response: RunReportResultSchema }),

  createTaskRun: def({ method: "POST", path: "/task_runs", permission: "work", summary: "Create a task run", body: TaskRunCreateSchema, status: 201, response: TaskRunSchema }),
  listTaskRuns: def({ method: "GET", path: "/task_runs", permission: "read", summary: "List task runs, oldest first", query: TaskRunListQuerySchema, status: 200, response: pageOf(TaskRunSchema) }),
  readTaskRun: def({ method: "GET", path: "/task_runs/:id", permission: "read", summary: "Read a task run", params: IdParamsSchema, status: 200, response: TaskRunSchema }),
  setTaskRunState: def({ method: "POST", path: "/task_runs/:id/set_state", permission: "work", summary: "Propose a task run state", params: IdParamsSchema, body: SetStateBodySchema, status: 200, response: OrchestrationResultSchema }),
  taskRunStates: def({ method: "GET", path: "/task_runs/:id/states", permission: "read", summary: "A task run's state history, oldest first", params: IdParamsSchema, query: PageQuerySchema, status: 200, response: pageOf(StateSchema) }),

  createLogs: def({ method: "POST", path: "/logs", permission: "work", summary: "Write log lines (a batch)", body: z.array(LogCreateSchema).max(20_000), status: 201, response: z.object({ written: z.number().int() }) }),
  listLogs: def({ method: "GET", path: "/logs", permission: "read", summary: "A run's logs, oldest first; page with the cursor to follow", query: LogListQuerySchema, status: 200, response: pageOf(LogSchema) }),

  ...dispatchRoutes,
  ...concurrencyRoutes,
  ...notificationRoutes,
  ...automationRoutes,
  ...artifactRoutes,
  ...resultRoutes,
  ...authRoutes,
  ...uiRoutes,
  ...eventHistoryRoutes,
} as const;

export type Routes = typeof routes;
export type RouteName = keyof Routes;

type Infer<T> = T extends z.ZodTypeAny ? z.input<T> : undefined;
type Out<T> = T extends z.ZodTypeAny ? z.output<T> : undefined;
/** What a caller passes to a route: `{ params, query, body }`, each only when the route has one. */
export type RouteInput<N extends RouteName> = {
  [K in "params" | "body" as Routes[N] extends Record<K, z.ZodTypeAny> ? K : never]: Infer<Routes[N][K & keyof Routes[N]]>;
} & {
  [K in "query" as Routes[N] extends Record<K, z.ZodTypeAny> ? K : never]?: Infer<Routes[N][K & keyof Routes[N]]>;
};
export type RouteOutput<N extends RouteName> = Out<Routes[N]["response"]>;
