import { SqliteAdapter, sql, type Kysely } from "kysely";
import { FILL_NOW } from "./0012-schedule-horizon.js";

/**
 * A scheduler pass parks the schedules of a paused deployment (`fill_due` far ahead, 0012), and
 * the API's resume wakes them. A deployment unpaused by any other writer (an operator's SQL, a
 * restored dump, a bench) stayed parked: no pass reached it again and it never ran. The
 * database now keeps that promise itself, as it keeps `flow_run_tags`: when `paused` goes from
 * set to clear, the deployment's parked schedules become due, and the next pass fills them.
 */
/** The scheduler's PARKED, frozen here as a migration must be (scheduler-horizon.test.ts checks they agree). */
export const PARKED = "9999-12-31T23:59:59.999Z";

export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await sql`create trigger tr_deployments_unpause_wakes_schedules after update of paused on deployments
      when old.paused <> 0 and new.paused = 0
      begin
        update deployment_schedules set fill_due = ${sql.lit(FILL_NOW)} where deployment_id = new.id and fill_due = ${sql.lit(PARKED)};
      end`.execute(db);
    return;
  }
  await sql`create function baton_unpause_wakes_schedules() returns trigger language plpgsql as $$
    begin
      update deployment_schedules set fill_due = ${sql.lit(FILL_NOW)} where deployment_id = new.id and fill_due = ${sql.lit(PARKED)};
      return null;
    end $$`.execute(db);
  await sql`create trigger tr_deployments_unpause_wakes_schedules after update of paused on deployments
    for each row when (old.paused <> 0 and new.paused = 0)
    execute function baton_unpause_wakes_schedules()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await sql`drop trigger if exists tr_deployments_unpause_wakes_schedules`.execute(db);
    return;
  }
  await sql`drop trigger if exists tr_deployments_unpause_wakes_schedules on deployments`.execute(db);
  await sql`drop function if exists baton_unpause_wakes_schedules()`.execute(db);
}
