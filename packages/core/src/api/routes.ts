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
  FlowRunListQuerySchema,
  FlowRunSchema,
  HeartbeatResultSchema,
  SetStateBodySchema,
} from "./flow-runs.js";
import { LogCreateSchema, LogListQuerySchema, LogSchema } from "./logs.js";
import { RunReportResultSchema, RunReportSchema } from "./reports.js";
import { TaskRunCreateSchema, TaskRunListQuerySchema, TaskRunSchema } from "./task-runs.js";
import { dispatchRoutes } from "./dispatch-routes.js";
import { authRoutes } from "./auth-routes.js";
import { uiRoutes } from "./ui-routes.js";

/**
 * What a caller must be allowed to do to use a route. Each route names one; the
 * authentication layer maps API-key roles onto these, once, for every route.
 * - none: open (health checks, logging in)
 * - any: any valid credential (who am I, log out)
 * - read: look at anything but secret values
 * - deploy: create and change flows, deployments, schedules, variables
 * - run: start, retry and cancel runs
 * - work: what workers and running flows do: claim, heartbeat, set states, write logs
 * - admin: work pools, secrets, API keys
 */
export type Permission = "none" | "any" | "read" | "deploy" | "run" | "work" | "admin";

export interface RouteDef {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Fastify path syntax under `/api`: `/flow_runs/:id`. */
  path: string;
  permission: Permission;
  summary: string;
  params?: z.ZodTypeAny;
  query?: z.ZodTypeAny;
  body?: z.ZodTypeAny;
  /** Success status and body schema. */
  status: number;
  response: z.ZodTypeAny;
}

const def = <const T extends RouteDef>(route: T): T => route;

/** The API, in one table: the server mounts it, the client calls it, OpenAPI describes it. */
export const routes = {
  health: def({ method: "GET", path: "/health", permission: "none", summary: "The process is up", status: 200, response: HealthSchema }),
  ready: def({ method: "GET", path: "/ready", permission: "none", summary: "The database answers", status: 200, response: ReadySchema }),
  version: def({ method: "GET", path: "/version", permission: "read", summary: "Server and API version", status: 200, response: VersionSchema }),

  createFlow: def({ method: "POST", path: "/flows", permission: "work", summary: "Register a flow by name (idempotent)", body: FlowCreateSchema, status: 200, response: FlowSchema }),
  listFlows: def({ method: "GET", path: "/flows", permission: "read", summary: "List flows", query: PageQuerySchema.merge(FlowListQuerySchema), status: 200, response: pageOf(FlowSchema) }),
  readFlow: def({ method: "GET", path: "/flows/:id", permission: "read", summary: "Read a flow", params: IdParamsSchema, status: 200, response: FlowSchema }),

  createFlowRun: def({ method: "POST", path: "/flow_runs", permission: "work", summary: "Create a flow run (its flow is registered if new)", body: FlowRunCreateSchema, status: 201, response: FlowRunSchema }),
  listFlowRuns: def({ method: "GET", path: "/flow_runs", permission: "read", summary: "List flow runs, newest first", query: FlowRunListQuerySchema, status: 200, response: pageOf(FlowRunSchema) }),
  readFlowRun: def({ method: "GET", path: "/flow_runs/:id", permission: "read", summary: "Read a flow run", params: IdParamsSchema, status: 200, response: FlowRunSchema }),
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
  ...authRoutes,
  ...uiRoutes,
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

/** `/flow_runs/:id` + `{ id }` -> `/flow_runs/0190...`. */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z_]+)/g, (_, key: string) => {
    const value = params?.[key];
    if (value === undefined) throw new Error(`missing path parameter "${key}" for ${path}`);
    return encodeURIComponent(String(value));
  });
}
