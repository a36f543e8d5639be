import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";

/**
 * Delete the runs a deployment's schedules made that are still waiting for a future time:
 * after a change of the deployment (the scheduler makes them again from the new version)
 * or a pause. Runs already due, claimed or started are left alone. Their states go by cascade.
 */
export async function deleteFutureScheduledRuns(trx: Kysely<Database>, deploymentId: string, now: Date, scheduleIds?: readonly string[]): Promise<number> {
  if (scheduleIds && scheduleIds.length === 0) return 0;
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
