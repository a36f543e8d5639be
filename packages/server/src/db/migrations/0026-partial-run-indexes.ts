import { sql, type Kysely } from "kysely";

/**
 * Fewer index entries per new run (issue #18). Two indexes of flow_runs hold only the runs that
 * have the value they look up, and one goes.
 * A scheduler fill writes tens of thousands of runs a minute, and every index of flow_runs is
 * written for each: a new scheduled run has no lease and no parent, and no query looks for a
 * run by a missing lease or parent (`lease_expiration < ?`, `parent_flow_run_id = ?` and `in`
 * imply the value is there, which both planners prove), so those entries were written for
 * nothing. The columns stay as they were; only the NULL rows leave the indexes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("ix_flow_runs_scheduled").execute();
  await db.schema.dropIndex("ix_flow_runs_lease").execute();
  await sql`create index ix_flow_runs_lease on flow_runs (state_type, lease_expiration) where lease_expiration is not null`.execute(db);
  await db.schema.dropIndex("ix_flow_runs_parent").execute();
  await sql`create index ix_flow_runs_parent on flow_runs (parent_flow_run_id, created, id) where parent_flow_run_id is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("ix_flow_runs_parent").execute();
  await db.schema.createIndex("ix_flow_runs_parent").on("flow_runs").columns(["parent_flow_run_id", "created", "id"]).execute();
  await db.schema.dropIndex("ix_flow_runs_lease").execute();
  await db.schema.createIndex("ix_flow_runs_lease").on("flow_runs").columns(["state_type", "lease_expiration"]).execute();
  await db.schema.createIndex("ix_flow_runs_scheduled").on("flow_runs").columns(["state_type", "next_scheduled_time"]).execute();
}
