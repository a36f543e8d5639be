import { SqliteAdapter, sql, type Kysely } from "kysely";

/**
 * The scheduler's pass costs what is due, not what exists. Each schedule remembers the last
 * time it has runs for (`scheduled_through`, the next computation starts after it) and when it
 * needs looking at again (`fill_due`); a pass reads the `fill_due` index up to now and nothing
 * else. Existing schedules start due (the epoch), so the first pass after the upgrade fills
 * them as before (the run keys make that idempotent). A pass claims a batch by setting
 * `fill_claim` (and moving `fill_due` a lease ahead), so two servers never compute the same
 * batch and a server that dies mid-batch leaves it to the next pass after the lease.
 *
 * The late-runs service reads runs that are SCHEDULED and not yet Late by their due time: a
 * partial index holds only those, so a backlog of Late runs costs nothing to skip.
 *
 * `?tag=` reads an index: on PostgreSQL a GIN index on the tags as jsonb (the filter's `@>`);
 * on SQLite, which cannot index inside JSON, a `flow_run_tags` table kept by triggers (so every
 * path that writes runs, the report route's bulk insert included, keeps it without code).
 */
export const FILL_NOW = "1970-01-01T00:00:00.000Z";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("deployment_schedules").addColumn("scheduled_through", "text").execute();
  await db.schema.alterTable("deployment_schedules").addColumn("fill_due", "text", (c) => c.notNull().defaultTo(FILL_NOW)).execute();
  await db.schema.alterTable("deployment_schedules").addColumn("fill_claim", "text").execute();
  await db.schema.createIndex("ix_deployment_schedules_fill_due").on("deployment_schedules").columns(["fill_due", "id"]).execute();
  await db.schema
    .createIndex("ix_flow_runs_not_late")
    .on("flow_runs")
    .column("next_scheduled_time")
    .where(sql.ref("state_type"), "=", sql.lit("SCHEDULED"))
    .where(sql.ref("state_name"), "<>", sql.lit("Late"))
    .execute();
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await db.schema
      .createTable("flow_run_tags")
      .addColumn("tag", "text", (c) => c.notNull())
      .addColumn("flow_run_id", "text", (c) => c.notNull().references("flow_runs.id").onDelete("cascade"))
      .addPrimaryKeyConstraint("pk_flow_run_tags", ["tag", "flow_run_id"])
      .modifyEnd(sql`without rowid`)
      .execute();
    await db.schema.createIndex("ix_flow_run_tags_run").on("flow_run_tags").column("flow_run_id").execute();
    await sql`insert or ignore into flow_run_tags (tag, flow_run_id) select json_each.value, flow_runs.id from flow_runs, json_each(flow_runs.tags) where json_valid(flow_runs.tags)`.execute(db);
    await sql`create trigger tr_flow_run_tags_insert after insert on flow_runs begin
      insert or ignore into flow_run_tags (tag, flow_run_id) select value, new.id from json_each(new.tags) where json_valid(new.tags);
    end`.execute(db);
    await sql`create trigger tr_flow_run_tags_update after update of tags on flow_runs begin
      delete from flow_run_tags where flow_run_id = new.id;
      insert or ignore into flow_run_tags (tag, flow_run_id) select value, new.id from json_each(new.tags) where json_valid(new.tags);
    end`.execute(db);
  } else {
    await sql`create index ix_flow_runs_tags on flow_runs using gin (((tags)::jsonb) jsonb_path_ops)`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await sql`drop trigger if exists tr_flow_run_tags_insert`.execute(db);
    await sql`drop trigger if exists tr_flow_run_tags_update`.execute(db);
    await db.schema.dropTable("flow_run_tags").ifExists().execute();
  } else {
    await db.schema.dropIndex("ix_flow_runs_tags").ifExists().execute();
  }
  await db.schema.dropIndex("ix_flow_runs_not_late").ifExists().execute();
  await db.schema.dropIndex("ix_deployment_schedules_fill_due").ifExists().execute();
  await db.schema.alterTable("deployment_schedules").dropColumn("fill_claim").execute();
  await db.schema.alterTable("deployment_schedules").dropColumn("fill_due").execute();
  await db.schema.alterTable("deployment_schedules").dropColumn("scheduled_through").execute();
}
