import { routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import type { DispatchNotifier } from "../dispatch/notifier.js";
import { fillDeploymentSchedules } from "../services/scheduler.js";
import { deleteDeployment, setDeploymentPaused } from "./manage.js";
import { listDeployments, readDeployment, readDeploymentByName } from "./read.js";
import { runDeployment } from "./run.js";
import { upsertDeployment } from "./upsert.js";

export function deploymentRoutes({ app, database }: RouteContext, notifier: DispatchNotifier): void {
  // A deployment's schedules are filled as soon as it is written, not at the scheduler's next
  // pass: `baton deploy` then `baton deployment inspect` shows the coming runs.
  const fill = async (id: string) => notifier.wake((await fillDeploymentSchedules(database, id, new Date())).work_pool_name);

  mountRoute(app, routes.upsertDeployment, async ({ body }) => {
    const result = await upsertDeployment(database, body, new Date());
    if (result.outcome !== "unchanged" && !result.deployment.paused) await fill(result.deployment.id);
    return result;
  });
  mountRoute(app, routes.listDeployments, ({ query }) => listDeployments(database, query));
  mountRoute(app, routes.readDeployment, ({ params }) => readDeployment(database.db, params.id));
  mountRoute(app, routes.readDeploymentByName, ({ params }) => readDeploymentByName(database.db, params.flow, params.name));
  mountRoute(app, routes.deleteDeployment, async ({ params }) => {
    await deleteDeployment(database, params.id);
    return null;
  });
  mountRoute(app, routes.pauseDeployment, ({ params }) => setDeploymentPaused(database, params.id, true, new Date()));
  mountRoute(app, routes.resumeDeployment, async ({ params }) => {
    const deployment = await setDeploymentPaused(database, params.id, false, new Date());
    await fill(deployment.id);
    // Runs of it that waited while it was paused can go now.
    notifier.wake(deployment.work_pool_name);
    return deployment;
  });
  mountRoute(app, routes.runDeployment, async ({ params, body }) => {
    const run = await runDeployment(database, params.id, body, new Date());
    notifier.wake(run.work_pool_name);
    return run;
  });
}
