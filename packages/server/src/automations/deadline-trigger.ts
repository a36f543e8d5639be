import { lastDailyDeadline, type ScheduleSpec } from "@baton/core";
import type { Kysely } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import { fromJson } from "../db/rows.js";
import type { Database } from "../db/schema.js";
import { enabledOf, eventFacts, firing, insertFirings } from "./firings.js";

/** The deployment's own clock: its first schedule's time zone, else UTC. */
async function deploymentZone(db: Kysely<Database>, deploymentId: string): Promise<string> {
  const first = await db.selectFrom("deployment_schedules").select("schedule").where("deployment_id", "=", deploymentId).orderBy("position").executeTakeFirst();
  return first ? (fromJson<ScheduleSpec>(first.schedule).timezone ?? "UTC") : "UTC";
}

/**
 * The automations whose latest deadline is settled (fired, or a run completed in time), with the
 * next deadline: until then a pass skips them without a query. Keyed by id and `updated`, so a
 * changed trigger is looked at again. Per process; the firing's key keeps replicas to one firing.
 */
const settled = new Map<string, number>();
const DAY_AND_AN_HOUR = 25 * 3_600_000;

/**
 * "No Completed run of a deployment by 07:00 in its time zone": once today's deadline has passed,
 * look for a run of it that entered Completed since the previous day's deadline. The event key is
 * the local day, so each automation fires at most once a day, on one replica. A deadline before the
 * automation existed is not looked at (creating one at noon does not fire for this morning).
 */
export async function deadlineTriggers(database: BatonDatabase, now: Date): Promise<number> {
  const db = database.db;
  let fired = 0;
  for (const a of await enabledOf(db, "no_completed_run_by")) {
    const { trigger } = a;
    const memo = `${a.row.id}:${a.row.updated}`;
    if (now.getTime() < (settled.get(memo) ?? 0)) continue;
    const [flow, name] = trigger.deployment.split("/") as [string, string];
    const deployment = await db.selectFrom("deployments").select("id").where("flow_name", "=", flow).where("name", "=", name).executeTakeFirst();
    if (!deployment) continue;
    const zone = trigger.timezone ?? (await deploymentZone(db, deployment.id));
    const deadline = lastDailyDeadline(trigger.time, zone, now);
    if (deadline.at.toISOString() < a.row.created) continue;
    const since = lastDailyDeadline(trigger.time, zone, new Date(deadline.at.getTime() - 1)).at;
    const completed = await db
      .selectFrom("flow_runs")
      .select("id")
      .where("deployment_id", "=", deployment.id)
      .where("state_type", "=", "COMPLETED")
      .where("end_time", ">=", since.toISOString())
      .where("end_time", "<", deadline.at.toISOString())
      .limit(1)
      .executeTakeFirst();
    // Days last 23 to 25 hours: the latest deadline a day and an hour on is the next one.
    settled.set(memo, lastDailyDeadline(trigger.time, zone, new Date(deadline.at.getTime() + DAY_AND_AN_HOUR)).at.getTime());
    if (completed) continue;
    const message = `no run of ${trigger.deployment} Completed by ${trigger.time} ${zone} on ${deadline.day} (since ${since.toISOString()})`;
    fired += await insertFirings(db, [firing(a.row, `no_completed:${deadline.day}`, "NO_COMPLETED_RUN", eventFacts("NO_COMPLETED_RUN", "No completed run", message, deadline.at), now)]);
  }
  return fired;
}
