import type { Kysely } from "kysely";

/**
 * The `not_in_state_within` automation trigger (issue 15) reads the entries into some states
 * whose deadline has just passed: a range of (type, timestamp) over every run's history. The
 * history is clustered by run (0001), so without this index each pass would read all of it.
 * Flow-run states are written once per transition (task-run states, the hot table, are not touched).
 *
 * `automations.trigger_cursor`: how far that trigger has read, so a restarted server goes on from
 * there instead of reading the history again since the automation was made.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("ix_flow_run_states_type_time").on("flow_run_states").columns(["type", "timestamp", "id"]).execute();
  await db.schema.alterTable("automations").addColumn("trigger_cursor", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("automations").dropColumn("trigger_cursor").execute();
  await db.schema.dropIndex("ix_flow_run_states_type_time").execute();
}
