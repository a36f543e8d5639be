import type { Kysely } from "kysely";

/**
 * Deployments, work pools and their queues, workers, secrets and variables, and what a
 * dispatched flow run records: where it goes, who claimed it and until when. Booleans are
 * integers (0/1) and JSON is text, as in 0001, so one migration serves both databases.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("work_pools")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("base_job_template", "text", (c) => c.notNull())
    .addColumn("concurrency_limit", "integer")
    .addColumn("paused", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created", "text", (c) => c.notNull())
    .addColumn("updated", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("work_queues")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("work_pool_id", "text", (c) => c.notNull().references("work_pools.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("priority", "integer", (c) => c.notNull())
    .addColumn("concurrency_limit", "integer")
    .addColumn("paused", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created", "text", (c) => c.notNull())
    .addColumn("updated", "text", (c) => c.notNull())
    .addUniqueConstraint("uq_work_queues_pool_name", ["work_pool_id", "name"])
    .execute();

  await db.schema
    .createTable("workers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("work_pool_id", "text", (c) => c.notNull().references("work_pools.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("last_heartbeat_time", "text", (c) => c.notNull())
    .addColumn("heartbeat_interval_seconds", "double precision", (c) => c.notNull())
    .addColumn("created", "text", (c) => c.notNull())
    .addUniqueConstraint("uq_workers_pool_name", ["work_pool_id", "name"])
    .execute();

  await db.schema
    .createTable("deployments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("flow_id", "text", (c) => c.notNull().references("flows.id"))
    .addColumn("flow_name", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("entrypoint", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("version", "text")
    .addColumn("tags", "text", (c) => c.notNull())
    .addColumn("parameters", "text", (c) => c.notNull())
    .addColumn("parameter_schema", "text")
    .addColumn("enforce_parameter_schema", "integer", (c) => c.notNull())
    .addColumn("pull_steps", "text", (c) => c.notNull())
    .addColumn("paused", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("concurrency_limit", "integer")
    // By name, not a foreign key: a pool may be deleted and made again under the same name.
    .addColumn("work_pool_name", "text")
    .addColumn("work_queue_name", "text")
    .addColumn("job_variables", "text", (c) => c.notNull())
    .addColumn("source", "text")
    .addColumn("created", "text", (c) => c.notNull())
    .addColumn("updated", "text", (c) => c.notNull())
    .addUniqueConstraint("uq_deployments_flow_name", ["flow_name", "name"])
    .execute();

  await db.schema
    .createTable("deployment_schedules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("deployment_id", "text", (c) => c.notNull().references("deployments.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    /** The spec as validated (ScheduleSpec), JSON. */
    .addColumn("schedule", "text", (c) => c.notNull())
    .addColumn("active", "integer", (c) => c.notNull())
    .addColumn("parameters", "text", (c) => c.notNull())
    .addColumn("created", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("ix_deployment_schedules_deployment").on("deployment_schedules").columns(["deployment_id", "position"]).execute();

  for (const column of ["deployment_name", "work_pool_name", "work_queue_name", "job_variables", "worker_name", "idempotency_key", "lease_expiration", "schedule_id"]) {
    await db.schema.alterTable("flow_runs").addColumn(column, "text").execute();
  }
  // One run per key and deployment: the scheduler's key (schedule + time) makes a second
  // replica or a restart harmless, and a client's key makes a retried request harmless.
  await db.schema.createIndex("uq_flow_runs_deployment_key").on("flow_runs").columns(["deployment_id", "idempotency_key"]).unique().execute();
  // Claims scan a pool's due runs; the lease service scans claimed runs by lease end.
  await db.schema.createIndex("ix_flow_runs_pool_due").on("flow_runs").columns(["work_pool_name", "state_type", "next_scheduled_time"]).execute();
  await db.schema.createIndex("ix_flow_runs_lease").on("flow_runs").columns(["state_type", "lease_expiration"]).execute();
  await db.schema.createIndex("ix_flow_runs_deployment").on("flow_runs").columns(["deployment_id", "state_type"]).execute();

  await db.schema
    .createTable("secrets")
    .addColumn("name", "text", (c) => c.primaryKey())
    // AES-256-GCM: a random 12-byte nonce per value, the ciphertext and the 16-byte tag, base64.
    .addColumn("nonce", "text", (c) => c.notNull())
    .addColumn("ciphertext", "text", (c) => c.notNull())
    .addColumn("auth_tag", "text", (c) => c.notNull())
    .addColumn("created", "text", (c) => c.notNull())
    .addColumn("updated", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("variables")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("created", "text", (c) => c.notNull())
    .addColumn("updated", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of ["uq_flow_runs_deployment_key", "ix_flow_runs_pool_due", "ix_flow_runs_lease", "ix_flow_runs_deployment"]) {
    await db.schema.dropIndex(index).ifExists().execute();
  }
  for (const column of ["deployment_name", "work_pool_name", "work_queue_name", "job_variables", "worker_name", "idempotency_key", "lease_expiration", "schedule_id"]) {
    await db.schema.alterTable("flow_runs").dropColumn(column).execute();
  }
  for (const table of ["variables", "secrets", "deployment_schedules", "deployments", "workers", "work_queues", "work_pools"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
