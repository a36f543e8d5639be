import { SqliteAdapter, type Kysely } from "kysely";

/**
 * Result storage on the server (issue 16 part 1): persisted task results (`owner` the flow run's
 * ID) and cache entries (`owner` 'cache') that every pod and replica reads. The content is the
 * serialized result as the SDK wrote it; the server never parses it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable("results")
    .addColumn("owner", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("content", sqlite ? "blob" : "bytea", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("created", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("pk_results", ["owner", "key"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("results").execute();
}
