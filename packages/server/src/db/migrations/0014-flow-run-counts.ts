import { SqliteAdapter, sql, type Kysely } from "kysely";

/**
 * Stats over a long window cost a bounded amount: runs are counted per hour (by when they were
 * due, as `GET /stats/flow_runs` places them) and state type, in `flow_run_counts`, once for all
 * runs (`dim` 'all', `key` '') and once per flow, deployment and work pool (`dim` 'flow',
 * 'deployment', 'pool', `key` the id or name). A window of 100 days reads 2,400 hours per state
 * type, whatever the number of runs.
 *
 * Writers never touch those rows (every run creation would wait on the same hot counter): a
 * trigger on `flow_runs` appends a change (+1 for the new hour and state type, -1 for the old)
 * to `flow_run_count_changes` on every path that writes runs, the report route's bulk insert
 * included. The services fold the changes into the counts in bounded batches (one server at a
 * time on PostgreSQL); a stats read adds the changes not folded yet, so it is exact at once.
 */
const SQLITE_HOUR = (row: "new" | "old") => `cast(strftime('%s', ${row}.expected_start_time) as integer) / 3600`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable("flow_run_counts")
    .addColumn("dim", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("hour", "integer", (c) => c.notNull())
    .addColumn("state_type", "text", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("pk_flow_run_counts", ["dim", "key", "hour", "state_type"])
    .$call((t) => (sqlite ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  // PostgreSQL keeps rows in insertion order: a covering index lets a window's read stay in the index.
  if (!sqlite) await sql`create index ix_flow_run_counts_read on flow_run_counts (dim, key, hour) include (state_type, count)`.execute(db);
  await db.schema
    .createTable("flow_run_count_changes")
    .addColumn("id", sqlite ? "integer" : "bigserial", (c) => c.primaryKey())
    .addColumn("hour", "integer", (c) => c.notNull())
    .addColumn("flow_id", "text", (c) => c.notNull())
    .addColumn("deployment_id", "text")
    .addColumn("work_pool_name", "text")
    .addColumn("state_type", "text", (c) => c.notNull())
    .addColumn("delta", "integer", (c) => c.notNull())
    .execute();

  const changed = (a: string, b: string) =>
    ["state_type", "expected_start_time", "flow_id", "deployment_id", "work_pool_name"].map((c) => `${a}.${c} is ${sqlite ? "not" : "distinct from"} ${b}.${c}`).join(" or ");
  const columns = "state_type, expected_start_time, flow_id, deployment_id, work_pool_name";
  if (sqlite) {
    const change = (row: "new" | "old", delta: number) =>
      `insert into flow_run_count_changes (hour, flow_id, deployment_id, work_pool_name, state_type, delta)
        select ${SQLITE_HOUR(row)}, ${row}.flow_id, ${row}.deployment_id, ${row}.work_pool_name, ${row}.state_type, ${delta}
        where strftime('%s', ${row}.expected_start_time) is not null;`;
    await sql.raw(`create trigger tr_flow_run_counts_insert after insert on flow_runs begin ${change("new", 1)} end`).execute(db);
    await sql.raw(`create trigger tr_flow_run_counts_update after update of ${columns} on flow_runs when ${changed("old", "new")} begin ${change("old", -1)} ${change("new", 1)} end`).execute(db);
    await sql.raw(`create trigger tr_flow_run_counts_delete after delete on flow_runs begin ${change("old", -1)} end`).execute(db);
  } else {
    const change = (row: "new" | "old", delta: number) =>
      `if ${row}.expected_start_time is not null then
        insert into flow_run_count_changes (hour, flow_id, deployment_id, work_pool_name, state_type, delta)
        values (floor(extract(epoch from ${row}.expected_start_time::timestamptz) / 3600)::integer, ${row}.flow_id, ${row}.deployment_id, ${row}.work_pool_name, ${row}.state_type, ${delta});
      end if;`;
    await sql
      .raw(
        `create function baton_flow_run_count_change() returns trigger language plpgsql as $$
        begin
          if tg_op in ('UPDATE', 'DELETE') then ${change("old", -1)} end if;
          if tg_op in ('INSERT', 'UPDATE') then ${change("new", 1)} end if;
          return null;
        end $$`,
      )
      .execute(db);
    await sql.raw(`create trigger tr_flow_run_counts_insert after insert on flow_runs for each row execute function baton_flow_run_count_change()`).execute(db);
    await sql.raw(`create trigger tr_flow_run_counts_update after update of ${columns} on flow_runs for each row when (${changed("old", "new")}) execute function baton_flow_run_count_change()`).execute(db);
    await sql.raw(`create trigger tr_flow_run_counts_delete after delete on flow_runs for each row execute function baton_flow_run_count_change()`).execute(db);
  }

  // The runs there are now, counted once (the triggers count every change from here on).
  const hour = sqlite ? "cast(strftime('%s', expected_start_time) as integer) / 3600" : "floor(extract(epoch from expected_start_time::timestamptz) / 3600)::integer";
  await sql
    .raw(
      `insert into flow_run_counts (dim, key, hour, state_type, count)
      select dim, key, hour, state_type, count(*) from (
        select 'all' as dim, '' as key, hour, state_type from r
        union all select 'flow', flow_id, hour, state_type from r
        union all select 'deployment', deployment_id, hour, state_type from r where deployment_id is not null
        union all select 'pool', work_pool_name, hour, state_type from r where work_pool_name is not null
      ) g group by dim, key, hour, state_type`.replace(
        /from r\b/g,
        `from (select ${hour} as hour, flow_id, deployment_id, work_pool_name, state_type from flow_runs where expected_start_time is not null${sqlite ? " and strftime('%s', expected_start_time) is not null" : ""}) r`,
      ),
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of ["tr_flow_run_counts_insert", "tr_flow_run_counts_update", "tr_flow_run_counts_delete"]) {
    await sql.raw(db.getExecutor().adapter instanceof SqliteAdapter ? `drop trigger if exists ${name}` : `drop trigger if exists ${name} on flow_runs`).execute(db);
  }
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) await sql`drop function if exists baton_flow_run_count_change()`.execute(db);
  await db.schema.dropTable("flow_run_count_changes").ifExists().execute();
  await db.schema.dropTable("flow_run_counts").ifExists().execute();
}
