import type { Kysely } from "kysely";

/**
 * A deployment's `triggers:` (baton.yaml) become automations it owns: `deployment_id` names the
 * owner, so `baton deploy` can update and delete them and deleting the deployment takes them
 * along. Automations made by hand have none.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("automations")
    .addColumn("deployment_id", "text", (c) => c.references("deployments.id").onDelete("cascade"))
    .execute();
  await db.schema.createIndex("ix_automations_deployment").on("automations").column("deployment_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("ix_automations_deployment").ifExists().execute();
  await db.schema.alterTable("automations").dropColumn("deployment_id").execute();
}
