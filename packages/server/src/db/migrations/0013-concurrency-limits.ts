import type { Kysely } from "kysely";

/**
 * Global concurrency and rate limits (issue 16 part 3), held by the database so every server
 * replica sees the same slots.
 * - `concurrency_limits`: one row per name (`tag:TAG` for a tag limit). `decaying_slots` is what
 *   rateLimit() took, as of `decayed_at`; it shrinks by `slot_decay_per_second` as time passes.
 * - `concurrency_leases`: slots held by concurrency(), one row per limit a lease covers. A lease
 *   not renewed by `expires` no longer counts, so a crashed run's slots come back on their own.
 * - `concurrency_waits`: a run that asked and was refused, until it gets its slots (`baton
 *   flow-run why`). Rows older than a minute are stale and ignored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("concurrency_limits")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("limit", "integer", (c) => c.notNull())
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("slot_decay_per_second", "double precision", (c) => c.notNull().defaultTo(0))
    .addColumn("decaying_slots", "double precision", (c) => c.notNull().defaultTo(0))
    .addColumn("decayed_at", "text")
    .addColumn("created", "text", (c) => c.notNull())
    .addColumn("updated", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("concurrency_leases")
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("limit_id", "text", (c) => c.notNull().references("concurrency_limits.id").onDelete("cascade"))
    .addColumn("slots", "integer", (c) => c.notNull())
    .addColumn("expires", "text", (c) => c.notNull())
    .addColumn("flow_run_id", "text")
    .addColumn("task_run_id", "text")
    .addColumn("created", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("pk_concurrency_leases", ["id", "limit_id"])
    .execute();
  await db.schema.createIndex("ix_concurrency_leases_limit").on("concurrency_leases").columns(["limit_id", "expires"]).execute();
  await db.schema
    .createTable("concurrency_waits")
    .addColumn("flow_run_id", "text", (c) => c.primaryKey())
    .addColumn("limit_name", "text", (c) => c.notNull())
    .addColumn("since", "text", (c) => c.notNull())
    .addColumn("seen", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("concurrency_waits").ifExists().execute();
  await db.schema.dropTable("concurrency_leases").ifExists().execute();
  await db.schema.dropTable("concurrency_limits").ifExists().execute();
}
