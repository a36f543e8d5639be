import { SqliteAdapter, sql, type Kysely } from "kysely";

/**
 * The runs list sorted by start time or duration (issue #21) reads a page as an index range,
 * like the created sort: an index on (start_time, id) and one on (duration in ms, id).
 *
 * Timestamps are ISO-8601 UTC text on both databases (0001), so the duration is computed from
 * text. An index needs an expression the database calls deterministic: SQLite's julianday() of a
 * column is; on PostgreSQL a text to timestamp cast is only "stable" (it reads DateStyle), so
 * `baton_epoch_ms` wraps it as immutable, which holds because the stored format
 * (`2026-01-31T12:00:00.000Z`) reads the same under every DateStyle, and a cast to `timestamp`
 * (no zone) keeps the UTC wall time. flow-runs/sort.ts must query the same expressions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema.createIndex("ix_flow_runs_start").on("flow_runs").columns(["start_time", "id"]).execute();
  if (sqlite) {
    await sql`create index ix_flow_runs_duration on flow_runs (round((julianday(end_time) - julianday(start_time)) * 86400000), id)`.execute(db);
  } else {
    await sql`create function baton_epoch_ms(t text) returns bigint language sql immutable strict parallel safe
      as $$ select (extract(epoch from t::timestamp) * 1000)::bigint $$`.execute(db);
    await sql`create index ix_flow_runs_duration on flow_runs ((baton_epoch_ms(end_time) - baton_epoch_ms(start_time)), id)`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema.dropIndex("ix_flow_runs_duration").execute();
  await db.schema.dropIndex("ix_flow_runs_start").execute();
  if (!sqlite) await sql`drop function baton_epoch_ms(text)`.execute(db);
}
