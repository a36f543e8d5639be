import type { Kysely } from "kysely";

/**
 * The web UI lists runs newest first filtered by deployment or work pool, and charts them by
 * the time they were due. Each filter gets an index that also holds the sort key, so a page is
 * an index range read however many runs there are (the 0001 indexes do this for state, flow
 * and parent; 0002's deployment and pool indexes serve dispatch, ordered by other columns).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("ix_flow_runs_deployment_created").on("flow_runs").columns(["deployment_id", "created", "id"]).execute();
  await db.schema.createIndex("ix_flow_runs_pool_created").on("flow_runs").columns(["work_pool_name", "created", "id"]).execute();
  await db.schema.createIndex("ix_flow_runs_expected_start").on("flow_runs").columns(["expected_start_time", "state_type"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of ["ix_flow_runs_deployment_created", "ix_flow_runs_pool_created", "ix_flow_runs_expected_start"]) {
    await db.schema.dropIndex(index).ifExists().execute();
  }
}
