import { sql, type Kysely } from "kysely";

/**
 * Before this release an rrule without DTSTART was anchored at the moment of each scheduler
 * pass, so every pass made new runs a few seconds apart (up to 49 for one Monday 09:00).
 * Such rules are now anchored at 2020-01-01 in the schedule's zone. This removes the runs
 * those schedules made that are still waiting for a future time, as a change of the
 * deployment does; the scheduler makes them again, once per time, at its next pass. Runs
 * already due, claimed or finished are left alone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const schedules = await sql<{ id: string; schedule: string }>`select id, schedule from deployment_schedules`.execute(db);
  const unanchored = schedules.rows
    .filter((row) => {
      try {
        const rule = (JSON.parse(row.schedule) as { rrule?: unknown }).rrule;
        return typeof rule === "string" && !/DTSTART/i.test(rule);
      } catch {
        return false;
      }
    })
    .map((row) => row.id);
  if (unanchored.length === 0) return;
  const now = new Date().toISOString();
  await sql`delete from flow_runs where state_type = 'SCHEDULED' and next_scheduled_time > ${now} and schedule_id in (${sql.join(unanchored)})`.execute(db);
}

export async function down(): Promise<void> {
  // The runs are made again by the scheduler; there is nothing to put back.
}
