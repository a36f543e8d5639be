import { SqliteAdapter, sql, type Kysely } from "kysely";

/**
 * PostgreSQL: the text columns that flow_runs and flow_run_states index compare byte by byte
 * (COLLATE "C"), as SQLite's BINARY already does (issue #18).
 *
 * Every value in these columns has a fixed machine format: ISO-8601 UTC times, UUIDv7 ids, state
 * types and names, pool and flow names matched by equality. Under the database's linguistic
 * collation (even C.UTF-8, which PostgreSQL 15 does not know to be bytewise) each comparison in an
 * index descent went through strcoll; a scheduler fill inserts a row into 18 indexes of flow_runs
 * and 3 of flow_run_states per run, and that collation work was about half of PostgreSQL's time
 * (measured: 60,000 runs, index maintenance 4.2-4.9 s -> 2.6-2.9 s). Equality is the same under
 * every deterministic collation, and for these fixed formats the order is too, so no query
 * changes: a comparison of such a column with a parameter or with a column of the default
 * collation takes the column's collation ("C"), so the planners keep using the indexes (the
 * list, claim, late and stats plans were checked after this change; see bench/README.md).
 * ALTER ... TYPE text rebuilds the tables' indexes (not the tables): on a big database this
 * migration takes about as long as creating them.
 */
const COLUMNS: Record<string, readonly string[]> = {
  flow_runs: [
    "id", "created", "state_type", "state_name", "flow_id", "flow_name", "deployment_id", "work_pool_name", "next_scheduled_time",
    "expected_start_time", "start_time", "parent_flow_run_id", "lease_expiration", "idempotency_key",
  ],
  flow_run_states: ["id", "flow_run_id", "type", "timestamp"],
};

async function collate(db: Kysely<unknown>, collation: "C" | "default"): Promise<void> {
  for (const [table, columns] of Object.entries(COLUMNS)) {
    // A column that a trigger's WHEN clause names cannot change type: the table's own triggers
    // (the run counts', 0014/0024) are dropped and made again from their definitions.
    const triggers = (
      await sql<{ name: string; definition: string }>`select tgname as name, pg_get_triggerdef(oid) as definition from pg_trigger where tgrelid = ${table}::regclass and not tgisinternal`.execute(db)
    ).rows;
    for (const t of triggers) await sql`drop trigger ${sql.ref(t.name)} on ${sql.table(table)}`.execute(db);
    const clauses = columns.map((c) => `alter column "${c}" type text collate "${collation}"`).join(", ");
    await sql.raw(`alter table "${table}" ${clauses}`).execute(db);
    for (const t of triggers) await sql.raw(t.definition).execute(db);
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await collate(db, "C");
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await collate(db, "default");
}
