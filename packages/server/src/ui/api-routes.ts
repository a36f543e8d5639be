import { routes } from "@baton/core";
import { deploymentSummaries } from "../deployments/summaries.js";
import type { DispatchNotifier } from "../dispatch/notifier.js";
import { retryFlowRun } from "../flow-runs/retry.js";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { flowRunStats } from "../stats/repository.js";
import { deploymentJobConfiguration, flowRunJobConfiguration } from "./job-configuration.js";
import { checkTemplate } from "./template-check.js";

/** The routes of core's `uiRoutes`: what the web UI's pages need beyond the resources' own routes. */
export function uiApiRoutes({ app, database }: RouteContext, notifier: DispatchNotifier): void {
  mountRoute(app, routes.flowRunStats, ({ query }) => flowRunStats(database, query, new Date()));
  mountRoute(app, routes.retryFlowRun, async ({ params }) => {
    const run = await retryFlowRun(database, params.id, new Date());
    notifier.wake(run.work_pool_name);
    return run;
  });
  mountRoute(app, routes.flowRunJobConfiguration, ({ params }) => flowRunJobConfiguration(database.db, params.id));
  mountRoute(app, routes.deploymentJobConfiguration, ({ params }) => deploymentJobConfiguration(database.db, params.id));
  mountRoute(app, routes.deploymentSummaries, async ({ query }) => ({ items: await deploymentSummaries(database, query.ids, query.runs) }));
  mountRoute(app, routes.checkWorkPoolTemplate, async ({ body }) => checkTemplate(body.base_job_template));
}
