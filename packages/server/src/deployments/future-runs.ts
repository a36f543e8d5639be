import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";

/**
 * Delete the runs a deployment's schedules made that are still waiting for a future time:
 * after a change of the deployment (the scheduler makes them again from the new version)
 * or a pause. Runs already due, claimed or started are left alone. Their states go by cascade.
 */
export async function deleteFutureScheduledRuns(trx: Kysely<Database>, deploymentId: string, now: Date, scheduleIds?: readonly string[]): Promise<number> {
  if (scheduleIds && scheduleIds.length === 0) return 0;
  // First, so that on PostgreSQL a scheduler pass writing these schedules commits before the
  // delete below reads (it waits on the schedule rows), and its runs are deleted too.
  await resetHorizons(trx, deploymentId, scheduleIds);
  let q = trx
    .deleteFrom("flow_runs")
    .where("deployment_id", "=", deploymentId)
    .where("state_type", "=", "SCHEDULED")
    .where("schedule_id", "is not", null)
    .where("next_scheduled_time", ">", now.toISOString());
  if (scheduleIds) q = q.where("schedule_id", "in", [...scheduleIds]);
  const result = await q.executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}

/** When the scheduler looks at a schedule whose horizon was reset: at once. */
export const FILL_NOW = "1970-01-01T00:00:00.000Z";

/**
 * Forget how far ahead a deployment's schedules have runs, so the next pass (or the fill after
 * the write) computes them again from now: after a change, a pause or a resume. A pass holding
 * one of them loses its claim and writes nothing for it.
 */
export async function resetHorizons(trx: Kysely<Database>, deploymentId: string, scheduleIds?: readonly string[]): Promise<void> {
  let q = trx.updateTable("deployment_schedules").set({ scheduled_through: null, fill_due: FILL_NOW, fill_claim: null }).where("deployment_id", "=", deploymentId);
  if (scheduleIds) q = q.where("id", "in", [...scheduleIds]);
  await q.execute();
}
