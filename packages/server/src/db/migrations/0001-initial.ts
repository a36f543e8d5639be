import { SqliteAdapter, sql, type CreateTableBuilder, type Kysely } from "kysely";

/**
 * The first schema. Dialect-neutral on purpose: ids, JSON and timestamps are text
 * (ISO-8601 UTC with milliseconds sorts in time order), so one migration serves SQLite
 * and PostgreSQL. Everything that belongs to a flow run is deleted with it (flow_run_states
 * by cascade, the high-volume tables by deleteFlowRun).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("flows")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("tags", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("created", "text", (c) => c.notNull())
    .addColumn("updated", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("flow_runs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("flow_id", "text", (c) => c.notNull().references("flows.id"))
    .addColumn("flow_name", "text", (c) => c.notNull())
    .addColumn("deployment_id", "text")
    .addColumn("parent_flow_run_id", "text")
    .addColumn("parent_task_run_id", "text")
    .addColumn("parameters", "text", (c) => c.notNull())
    .addColumn("tags", "text", (c) => c.notNull())
    .addColumn("empirical_policy", "text", (c) => c.notNull())
    .addColumn("state_id", "text", (c) => c.notNull())
    .addColumn("state_type", "text", (c) => c.notNull())
    .addColumn("state_name", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("run_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("expected_start_time", "text")
    .addColumn("next_scheduled_time", "text")
    .addColumn("start_time", "text")
    .addColumn("end_time", "text")
    .addColumn("heartbeat_time", "text")
    .addColumn("created", "text", (c) => c.notNull())
    .addColumn("updated", "text", (c) => c.notNull())
    .execute();
  // Lists page on (created, id), newest first by default, optionally narrowed by state or flow.
  await db.schema.createIndex("ix_flow_runs_created").on("flow_runs").columns(["created", "id"]).execute();
  await db.schema.createIndex("ix_flow_runs_state_type").on("flow_runs").columns(["state_type", "created", "id"]).execute();
  await db.schema.createIndex("ix_flow_runs_state_name").on("flow_runs").columns(["state_name", "created", "id"]).execute();
  await db.schema.createIndex("ix_flow_runs_flow").on("flow_runs").columns(["flow_id", "created", "id"]).execute();
  await db.schema.createIndex("ix_flow_runs_flow_name").on("flow_runs").columns(["flow_name", "created", "id"]).execute();
  await db.schema.createIndex("ix_flow_runs_parent").on("flow_runs").columns(["parent_flow_run_id", "created", "id"]).execute();
  // The late-runs service scans SCHEDULED runs by due time.
  await db.schema.createIndex("ix_flow_runs_scheduled").on("flow_runs").columns(["state_type", "next_scheduled_time"]).execute();

  await stateHistoryTable(db, "flow_run_states", "flow_run_id", { references: "flow_runs.id" });

  await db.schema
    .createTable("task_runs")
    .addColumn("id", "text", (c) => c.primaryKey())
    // No foreign keys on the tables the report route fills (task runs, their states, logs): a
    // key check per row (a trigger and a row lock on PostgreSQL) would cost more than the
    // insert. The route checks each flow run once, under a key-share lock, and deleteFlowRun
    // deletes these rows itself.
    .addColumn("flow_run_id", "text", (c) => c.notNull())
    .addColumn("task_key", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("dynamic_key", "text", (c) => c.notNull())
    .addColumn("tags", "text", (c) => c.notNull())
    .addColumn("max_retries", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("retry_delay_seconds", "text", (c) => c.notNull().defaultTo("0"))
    .addColumn("cache_key", "text")
    .addColumn("task_inputs", "text", (c) => c.notNull())
    .addColumn("subflow_run_id", "text")
    .addColumn("state_id", "text", (c) => c.notNull())
    .addColumn("state_type", "text", (c) => c.notNull())
    .addColumn("state_name", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("run_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("expected_start_time", "text")
    .addColumn("next_scheduled_time", "text")
    .addColumn("start_time", "text")
    .addColumn("end_time", "text")
    .addColumn("created", "text", (c) => c.notNull())
    .addColumn("updated", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("ix_task_runs_flow_run").on("task_runs").columns(["flow_run_id", "created", "id"]).execute();

  // No foreign key (see task_runs): the report route writes states only for task runs it has
  // just read or inserted.
  await stateHistoryTable(db, "task_run_states", "task_run_id", {});

  await db.schema
    .createTable("logs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("flow_run_id", "text", (c) => c.notNull()) // checked by the routes, like task_runs
    // Not checked: a log line may be sent before the report that creates its task run.
    .addColumn("task_run_id", "text")
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("level", "integer", (c) => c.notNull())
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("timestamp", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("ix_logs_flow_run").on("logs").columns(["flow_run_id", "timestamp", "id"]).execute();
}

/**
 * A run's state history is only ever read in order for one run, so the table is clustered on
 * (run, timestamp, id): one B-tree instead of a table, a primary key and an index, which
 * makes the inserts of the report route cheaper. State ids are server-made UUIDv7s, unique
 * without an index of their own. SQLite says WITHOUT ROWID; PostgreSQL's primary key index
 * serves the same reads.
 */
async function stateHistoryTable(db: Kysely<unknown>, table: string, owner: string, options: { references?: string }): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  let builder: CreateTableBuilder<string, string> = db.schema
    .createTable(table)
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn(owner, "text", (c) => (options.references ? c.notNull().references(options.references).onDelete("cascade") : c.notNull()))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("message", "text")
    .addColumn("timestamp", "text", (c) => c.notNull())
    .addColumn("state_details", "text", (c) => c.notNull())
    .addColumn("data", "text")
    .addPrimaryKeyConstraint(`pk_${table}`, [owner, "timestamp", "id"] as never);
  if (sqlite) builder = builder.modifyEnd(sql`without rowid`);
  await builder.execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["logs", "task_run_states", "task_runs", "flow_run_states", "flow_runs", "flows"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
