import { SqliteAdapter, sql, type Kysely } from "kysely";

/**
 * Results on the server are streamed in and out (issue 16: large results are not held twice in
 * memory), so their bytes move to `result_chunks`: pieces of about 1 MiB, in order, under a blob
 * ID. `results` keeps what a reader looks up (owner, key, size) and names its blob. A write
 * stores its chunks under a new blob first and then points the row at it in one transaction, so
 * a reader never sees half a result, and one refused halfway (over the size limit) leaves nothing.
 *
 * A streamed write names its blob in `result_uploads` until it is published or refused: chunks
 * of a write cut off by a crash are found there and removed by the services (never by a scan
 * of every chunk).
 *
 * Results stored before this become one chunk each (blob `owner/key`, which no new blob ID can
 * be: those are UUIDs), so they stay readable.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable("result_chunks")
    .addColumn("blob", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("content", sqlite ? "blob" : "bytea", (c) => c.notNull())
    .addPrimaryKeyConstraint("pk_result_chunks", ["blob", "seq"])
    .execute();
  await db.schema
    .createTable("result_uploads")
    .addColumn("blob", "text", (c) => c.primaryKey())
    .addColumn("started", "text", (c) => c.notNull())
    .execute();
  await db.schema.alterTable("results").addColumn("blob", "text", (c) => c.notNull().defaultTo("")).execute();
  await sql`INSERT INTO result_chunks (blob, seq, content) SELECT owner || '/' || key, 0, content FROM results WHERE size > 0`.execute(db);
  await sql`UPDATE results SET blob = owner || '/' || key`.execute(db);
  await db.schema.alterTable("results").dropColumn("content").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema.alterTable("results").addColumn("content", sqlite ? "blob" : "bytea").execute();
  // Joins each result's chunks back into one value (string_agg on PostgreSQL; SQLite has no bytes
  // aggregate, so it is done there only for single-chunk results, the ones the migration made).
  if (sqlite) await sql`UPDATE results SET content = COALESCE((SELECT content FROM result_chunks c WHERE c.blob = results.blob AND c.seq = 0), X'')`.execute(db);
  else await sql`UPDATE results SET content = COALESCE((SELECT string_agg(content, ''::bytea ORDER BY seq) FROM result_chunks c WHERE c.blob = results.blob), ''::bytea)`.execute(db);
  await db.schema.alterTable("results").dropColumn("blob").execute();
  await db.schema.dropTable("result_uploads").execute();
  await db.schema.dropTable("result_chunks").execute();
}
