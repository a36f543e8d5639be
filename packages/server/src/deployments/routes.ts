import { routes } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import type { DispatchNotifier } from "../wake-up/notifier.js";
import { assertSecretsInScope, secretReferences } from "../secrets/scope.js";
import { deleteDeployment, setDeploymentPaused } from "./manage.js";
import { listDeployments, readDeployment, readDeploymentByName } from "./read.js";
import { runDeployment } from "./run.js";
import { addSchedule, deleteSchedule, updateSchedule } from "./schedules.js";
import { recordTraceparent, traceparentOf } from "../flow-runs/trace-context.js";
import { upsertDeployment } from "./upsert.js";

/** Fills one deployment's schedules now (the scheduler's `fillDeploymentSchedules`, which app.ts passes: the scheduler sits above deployments). */
export type FillSchedules = (database: BatonDatabase, deploymentId: string, now: Date) => Promise<{ work_pool_name: string | null }>;

export function deploymentRoutes({ app, database }: RouteContext, notifier: DispatchNotifier, fillSchedules: FillSchedules): void {
  // A deployment's schedules are filled as soon as it is written, not at the scheduler's next
  // pass: `baton deploy` then `baton deployment inspect` shows the coming runs.
  const fill = async (id: string) => notifier.wake((await fillSchedules(database, id, new Date())).work_pool_name);

  mountRoute(app, routes.upsertDeployment, async ({ body }) => {
    // A deployer names secrets; only those whose scope (an admin's) covers this deployment.
    const references = secretReferences(body.pull_steps, "body.pull_steps", secretReferences(body.job_variables, "body.job_variables"));
    await assertSecretsInScope(database, references, body.work_pool_name ?? null, `${body.flow_name}/${body.name}`);
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
  mountRoute(app, routes.createDeploymentSchedule, async ({ params, body }) => {
    const deployment = await addSchedule(database, params.id, body, new Date());
    if (!deployment.paused) await fill(deployment.id);
    return deployment;
  });
  mountRoute(app, routes.updateDeploymentSchedule, async ({ params, body }) => {
    const { deployment, active } = await updateSchedule(database, params.id, params.schedule_id, body, new Date());
    if (active && !deployment.paused) await fill(deployment.id);
    return deployment;
  });
  mountRoute(app, routes.deleteDeploymentSchedule, ({ params }) => deleteSchedule(database, params.id, params.schedule_id, new Date()));
  mountRoute(app, routes.runDeployment, async ({ params, body, request }) => {
    // Job variables default to {}: the deployment is read only when they name a secret.
    const secrets = secretReferences(body.job_variables, "body.job_variables");
    if (secrets.size > 0) {
      const deployment = await readDeployment(database.db, params.id);
      await assertSecretsInScope(database, secrets, deployment.work_pool_name, `${deployment.flow_name}/${deployment.name}`);
    }
    // A run found by its idempotency key may still lack a trace context: recordTraceparent gives it this one.
    const traceparent = traceparentOf(request);
    const run = await recordTraceparent(database, await runDeployment(database, params.id, body, new Date(), traceparent), traceparent);
    notifier.wake(run.work_pool_name);
    return run;
  });
}
