import { SqliteAdapter, sql, type Kysely } from "kysely";

/**
 * PostgreSQL: a run insert's change to the counts (0014) is written once per statement and per
 * (hour, flow, deployment, pool, state type), with its number of runs as the delta, instead of
 * once per run through a PL/pgSQL call: the scheduler's fill inserts hundreds of runs a
 * statement, mostly for a few deployments and hours, and paid one function call and one row
 * per run. Readers already sum the deltas. Updates and deletes keep the per-row trigger (their
 * WHEN clause skips rows whose counted columns did not change, which a statement trigger
 * cannot). SQLite has no statement triggers: its trigger stays.
 */
const AGGREGATED = `create function baton_flow_run_count_insert() returns trigger language plpgsql as $$
  begin
    insert into flow_run_count_changes (hour, flow_id, deployment_id, work_pool_name, state_type, delta)
    select floor(extract(epoch from expected_start_time::timestamptz) / 3600)::integer, flow_id, deployment_id, work_pool_name, state_type, count(*)
    from inserted_runs where expected_start_time is not null
    group by 1, 2, 3, 4, 5;
    return null;
  end $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql.raw(AGGREGATED).execute(db);
  await sql`drop trigger tr_flow_run_counts_insert on flow_runs`.execute(db);
  await sql`create trigger tr_flow_run_counts_insert after insert on flow_runs referencing new table as inserted_runs for each statement execute function baton_flow_run_count_insert()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`drop trigger tr_flow_run_counts_insert on flow_runs`.execute(db);
  await sql`drop function baton_flow_run_count_insert()`.execute(db);
  await sql`create trigger tr_flow_run_counts_insert after insert on flow_runs for each row execute function baton_flow_run_count_change()`.execute(db);
}
