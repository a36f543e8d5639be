import type { Kysely } from "kysely";

/**
 * Artifacts (issue 15 part 6): markdown, tables, links and progress published by flow code.
 * - One row per artifact; a keyed artifact's versions are its rows with that key, the newest
 *   (highest UUIDv7 id) being the key's current value: no "latest" flag to keep right when two
 *   replicas publish the same key at once.
 * - `flow_run_id` cascades: deleting a run (by hand or by retention) deletes its artifacts.
 *   `task_run_id` is a label: a task's artifact may arrive before the batched report of its task run.
 * - `data` is the JSON text of the artifact's value.
 * And `flow_runs.traceparent` (issue 15 part 5): the W3C trace context a run's creation carried,
 * so the run's spans continue the creator's trace. Nullable: older runs have none.
 * Nothing older changes: a database from before gains an empty table and an empty column.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("artifacts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("key", "text")
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("flow_run_id", "text", (c) => c.notNull().references("flow_runs.id").onDelete("cascade"))
    .addColumn("task_run_id", "text")
    .addColumn("created", "text", (c) => c.notNull())
    .addColumn("updated", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("ix_artifacts_flow_run").on("artifacts").columns(["flow_run_id", "id"]).execute();
  await db.schema.alterTable("flow_runs").addColumn("traceparent", "text").execute();
  await db.schema.createIndex("ix_artifacts_key").on("artifacts").columns(["key", "id"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("artifacts").ifExists().execute();
  await db.schema.alterTable("flow_runs").dropColumn("traceparent").execute();
}
