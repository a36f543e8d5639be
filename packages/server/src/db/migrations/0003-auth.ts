import type { Kysely } from "kysely";

/**
 * API keys (only a SHA-256 of each key is stored), the UI's sessions (only a hash of the
 * session id) and the audit log of who changed what. Lists of names are JSON text, times
 * ISO text, as in 0001 and 0002, so one migration serves both databases.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("api_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    // Unique forever, revoked keys included: the audit log names keys, and a name must mean one key.
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("prefix", "text", (c) => c.notNull())
    .addColumn("key_hash", "text", (c) => c.notNull().unique())
    .addColumn("work_pools", "text")
    .addColumn("deployments", "text")
    .addColumn("created", "text", (c) => c.notNull())
    .addColumn("expires", "text")
    .addColumn("last_used", "text")
    .addColumn("revoked", "text")
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("api_key_id", "text", (c) => c.notNull().references("api_keys.id").onDelete("cascade"))
    .addColumn("csrf_token", "text", (c) => c.notNull())
    .addColumn("created", "text", (c) => c.notNull())
    .addColumn("expires", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("time", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("role", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("object", "text", (c) => c.notNull())
    .addColumn("status", "integer", (c) => c.notNull())
    .addColumn("address", "text")
    .execute();
  await db.schema.createIndex("ix_audit_log_time").on("audit_log").columns(["time", "id"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("ix_audit_log_time").ifExists().execute();
  for (const table of ["audit_log", "sessions", "api_keys"]) await db.schema.dropTable(table).ifExists().execute();
}
