import { routes } from "@baton/core";
import { deploymentSummaries } from "../deployments/summaries.js";
import { retryFlowRun } from "../flow-runs/retry.js";
import { resumeBodyLimits, resumeFlowRun } from "../pause/resume.js";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { flowRunStats } from "../stats/repository.js";
import { deploymentJobConfiguration, flowRunJobConfiguration } from "./job-configuration.js";
import { checkTemplate } from "./template-check.js";

/** The routes of core's `uiRoutes`: what the web UI's pages need beyond the resources' own routes. */
/** `resultMaxBytes`: a resume's input is stored as a result, so it may weigh what one may (BATON_SERVER_RESULT_MAX_BYTES). */
export function uiApiRoutes({ app, database }: RouteContext, resultMaxBytes: number): void {
  mountRoute(app, routes.flowRunStats, ({ query }) => flowRunStats(database, query, new Date()));
  // The road wakes the pool's claims on every replica.
  mountRoute(app, routes.retryFlowRun, ({ params }) => retryFlowRun(database, params.id, new Date()));
  mountRoute(app, routes.resumeFlowRun, ({ params, body }) => resumeFlowRun(database, params.id, body.input, new Date(), resultMaxBytes), resumeBodyLimits(resultMaxBytes));
  mountRoute(app, routes.flowRunJobConfiguration, ({ params }) => flowRunJobConfiguration(database.db, params.id));
  mountRoute(app, routes.deploymentJobConfiguration, ({ params }) => deploymentJobConfiguration(database.db, params.id));
  mountRoute(app, routes.deploymentSummaries, async ({ query }) => ({ items: await deploymentSummaries(database, query.ids, query.runs) }));
  mountRoute(app, routes.checkWorkPoolTemplate, async ({ body }) => checkTemplate(body.base_job_template));
}
