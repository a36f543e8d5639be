import { z } from "zod";
import { IdParamsSchema } from "./common.js";
import { FlowRunSchema } from "./flow-runs.js";
import { def } from "./route-def.js";
import { JobConfigurationViewSchema, TemplateCheckBodySchema, TemplateCheckResultSchema } from "./run-views.js";
import { FlowRunStatsQuerySchema, FlowRunStatsSchema } from "./stats.js";
import { DeploymentSummariesQuerySchema, DeploymentSummariesSchema } from "./summaries.js";

/** A Paused run's resume: `input` is what pauseFlowRun({ waitForInput }) returns (JSON, at most 1 MiB). */
export const FlowRunResumeSchema = z.object({ input: z.unknown().optional() }).strict();

/** What the web UI's pages need beyond the resources' own routes (spread into `routes`). */
export const uiRoutes = {
  flowRunStats: def({ method: "GET", path: "/stats/flow_runs", permission: "read", summary: "Flow runs by state type per time bucket (by when they were due), for the dashboard chart", query: FlowRunStatsQuerySchema, status: 200, response: FlowRunStatsSchema }),
  retryFlowRun: def({ method: "POST", path: "/flow_runs/:id/retry", permission: "run", summary: "Schedule a Failed, Crashed or Cancelled deployment run again, now, with the same parameters", params: IdParamsSchema, status: 200, response: FlowRunSchema }),
  resumeFlowRun: def({ method: "POST", path: "/flow_runs/:id/resume", permission: "run", summary: "Resume a Paused flow run (pauseFlowRun), with the input it waits for, checked against its schema", params: IdParamsSchema, body: FlowRunResumeSchema, status: 200, response: FlowRunSchema }),
  flowRunJobConfiguration: def({ method: "GET", path: "/flow_runs/:id/job_configuration", permission: "read", summary: "The job configuration a worker gets for this run, secrets as references", params: IdParamsSchema, status: 200, response: JobConfigurationViewSchema }),
  deploymentJobConfiguration: def({ method: "GET", path: "/deployments/:id/job_configuration", permission: "read", summary: "The job configuration a run of this deployment would get, secrets as references", params: IdParamsSchema, status: 200, response: JobConfigurationViewSchema }),
  checkWorkPoolTemplate: def({ method: "POST", path: "/work_pools/check_template", permission: "read", summary: "Check a base job template as a pool update would, without saving it", body: TemplateCheckBodySchema, status: 200, response: TemplateCheckResultSchema }),
  deploymentSummaries: def({ method: "GET", path: "/deployments/summaries", permission: "read", summary: "For the deployments list, in one request: each deployment's next scheduled run and its last runs' states", query: DeploymentSummariesQuerySchema, status: 200, response: DeploymentSummariesSchema }),
} as const;
