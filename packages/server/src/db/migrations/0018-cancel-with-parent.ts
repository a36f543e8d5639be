import type { Kysely } from "kysely";

/**
 * A child run (runDeployment from a flow, a subflow) is cancelled with its parent unless it was
 * started with `cancelWithParent: false` (issue 16 part 2). 1 for every existing run: cancelling
 * a parent has always been meant to stop what it started.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("flow_runs")
    .addColumn("cancel_with_parent", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("flow_runs").dropColumn("cancel_with_parent").execute();
}
