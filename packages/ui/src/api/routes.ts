import type { RouteName, Routes } from "@baton/core";

/**
 * The routes of @baton/core's table the web UI calls, by name, with their method and path.
 * Only these two fields, so that core's schemas (and zod) stay out of the first bundle; the
 * `satisfies` makes the compiler hold each entry to core's table: a path or method that drifts
 * from the server's fails `tsc`, and a test checks the same at run time (routes.test.ts).
 */
export const UI_ROUTES = {
  readSession: { method: "GET", path: "/auth/session" },
  createSession: { method: "POST", path: "/auth/session" },
  deleteSession: { method: "DELETE", path: "/auth/session" },
  version: { method: "GET", path: "/version" },
  listApiKeys: { method: "GET", path: "/api_keys" },
  createApiKey: { method: "POST", path: "/api_keys" },
  revokeApiKey: { method: "DELETE", path: "/api_keys/:name" },
  listSecrets: { method: "GET", path: "/secrets" },
  setSecret: { method: "PUT", path: "/secrets/:name" },
  deleteSecret: { method: "DELETE", path: "/secrets/:name" },
  listFlowRuns: { method: "GET", path: "/flow_runs" },
  countFlowRuns: { method: "GET", path: "/flow_runs/count" },
  readFlowRun: { method: "GET", path: "/flow_runs/:id" },
  flowRunStates: { method: "GET", path: "/flow_runs/:id/states" },
  cancelFlowRun: { method: "POST", path: "/flow_runs/:id/cancel" },
  deleteFlowRun: { method: "DELETE", path: "/flow_runs/:id" },
  retryFlowRun: { method: "POST", path: "/flow_runs/:id/retry" },
  resumeFlowRun: { method: "POST", path: "/flow_runs/:id/resume" },
  whyFlowRun: { method: "GET", path: "/flow_runs/:id/why" },
  flowRunJobConfiguration: { method: "GET", path: "/flow_runs/:id/job_configuration" },
  flowRunStats: { method: "GET", path: "/stats/flow_runs" },
  listTaskRuns: { method: "GET", path: "/task_runs" },
  readTaskRun: { method: "GET", path: "/task_runs/:id" },
  taskRunStates: { method: "GET", path: "/task_runs/:id/states" },
  listFlows: { method: "GET", path: "/flows" },
  listLogs: { method: "GET", path: "/logs" },
  listDeployments: { method: "GET", path: "/deployments" },
  readDeployment: { method: "GET", path: "/deployments/:id" },
  pauseDeployment: { method: "POST", path: "/deployments/:id/pause" },
  resumeDeployment: { method: "POST", path: "/deployments/:id/resume" },
  createDeploymentSchedule: { method: "POST", path: "/deployments/:id/schedules" },
  updateDeploymentSchedule: { method: "PATCH", path: "/deployments/:id/schedules/:schedule_id" },
  deleteDeploymentSchedule: { method: "DELETE", path: "/deployments/:id/schedules/:schedule_id" },
  runDeployment: { method: "POST", path: "/deployments/:id/runs" },
  deploymentSummaries: { method: "GET", path: "/deployments/summaries" },
  deploymentJobConfiguration: { method: "GET", path: "/deployments/:id/job_configuration" },
  createWorkPool: { method: "POST", path: "/work_pools" },
  deleteWorkPool: { method: "DELETE", path: "/work_pools/:name" },
  listWorkPools: { method: "GET", path: "/work_pools" },
  readWorkPool: { method: "GET", path: "/work_pools/:name" },
  updateWorkPool: { method: "PATCH", path: "/work_pools/:name" },
  createWorkQueue: { method: "POST", path: "/work_pools/:name/queues" },
  updateWorkQueue: { method: "PATCH", path: "/work_pools/:name/queues/:queue" },
  deleteWorkQueue: { method: "DELETE", path: "/work_pools/:name/queues/:queue" },
  listWorkQueues: { method: "GET", path: "/work_pools/:name/queues" },
  listWorkers: { method: "GET", path: "/work_pools/:name/workers" },
  checkWorkPoolTemplate: { method: "POST", path: "/work_pools/check_template" },
  listVariables: { method: "GET", path: "/variables" },
  setVariable: { method: "PUT", path: "/variables/:name" },
  deleteVariable: { method: "DELETE", path: "/variables/:name" },
  listAudit: { method: "GET", path: "/audit" },
  listArtifacts: { method: "GET", path: "/artifacts" },
} as const satisfies { [N in RouteName]?: Pick<Routes[N], "method" | "path"> };

export type UiRouteName = keyof typeof UI_ROUTES;
