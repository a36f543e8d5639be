import type { Deployment } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import { deleteFutureScheduledRuns, resetHorizons } from "./future-runs.js";
import { readDeploymentRow, withSchedules } from "./read.js";

/** Delete a deployment with its schedules and the runs of it that have not started; past runs stay. */
export async function deleteDeployment(database: BatonDatabase, id: string): Promise<{ work_pool_name: string | null }> {
  return database.transaction(async (trx) => {
    const row = await readDeploymentRow(trx, id, { forUpdate: database.kind === "postgresql" });
    await trx.deleteFrom("flow_runs").where("deployment_id", "=", id).where("state_type", "=", "SCHEDULED").execute();
    await trx.deleteFrom("deployments").where("id", "=", id).execute(); // schedules by cascade
    return { work_pool_name: row.work_pool_name };
  });
}

/**
 * Pausing stops the schedules and removes the future runs they made; runs already due or
 * created by hand wait (a worker does not claim runs of a paused deployment) until it resumes.
 */
export async function setDeploymentPaused(database: BatonDatabase, id: string, paused: boolean, now: Date): Promise<Deployment> {
  return database.transaction(async (trx) => {
    const row = await readDeploymentRow(trx, id, { forUpdate: database.kind === "postgresql" });
    if (Boolean(row.paused) === paused) return withSchedules(trx, row);
    const stamp = now.toISOString();
    await trx.updateTable("deployments").set({ paused: paused ? 1 : 0, updated: stamp }).where("id", "=", id).execute();
    if (paused) await deleteFutureScheduledRuns(trx, id, now);
    else await resetHorizons(trx, id);
    return withSchedules(trx, { ...row, paused: paused ? 1 : 0, updated: stamp });
  });
}
