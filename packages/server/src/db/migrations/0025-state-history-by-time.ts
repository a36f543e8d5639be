import type { Kysely } from "kysely";

/**
 * The events page opens on the latest flow-run state changes across runs, newest first, and
 * pages back by (timestamp, id) (`GET /api/events/history`). The history is clustered by run
 * (0001) and 0022's index starts with the state type, so without this one the first page would
 * sort every state ever stored. One row per flow-run transition: the hot table (task-run
 * states) is not touched.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("ix_flow_run_states_time").on("flow_run_states").columns(["timestamp", "id"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("ix_flow_run_states_time").execute();
}
