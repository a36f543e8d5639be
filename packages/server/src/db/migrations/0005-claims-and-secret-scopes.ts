import type { Kysely } from "kysely";

/**
 * Run tokens tied to the claim that made them, and secrets with a scope.
 *
 * flow_runs.claim_id: a new id at every claim, cleared when the run is put back in the queue or
 * retried; a run token names it, so a token dies with its claim. claim_key_id: the API key that
 * claimed (null for basic auth or authentication off); revoking it ends the run's tokens.
 * Runs claimed before this migration get LEGACY_CLAIM, which tokens of the previous format
 * (that name no claim) still match until the run is claimed again: an upgrade does not cut
 * the runs in flight off the API.
 *
 * secrets.scope_work_pools / scope_deployments: JSON arrays of names or patterns. A secret made
 * before this release is scoped to what references it today (the pools and deployments whose
 * pull steps or job variables name it), so every deployment that works keeps working and none
 * gains a secret it did not use.
 */
/** Kept equal to LEGACY_CLAIM in auth/run-tokens/token.ts. */
export const LEGACY_CLAIM = "legacy";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("flow_runs").addColumn("claim_id", "text").execute();
  await db.schema.alterTable("flow_runs").addColumn("claim_key_id", "text").execute();
  await db
    .updateTable("flow_runs")
    .set({ claim_id: LEGACY_CLAIM })
    .where("worker_name", "is not", null)
    .where("state_type", "in", ["PENDING", "RUNNING", "CANCELLING", "PAUSED"])
    .execute();

  await db.schema.alterTable("secrets").addColumn("scope_work_pools", "text", (c) => c.notNull().defaultTo("[]")).execute();
  await db.schema.alterTable("secrets").addColumn("scope_deployments", "text", (c) => c.notNull().defaultTo("[]")).execute();
  const secrets = (await db.selectFrom("secrets").select("name").execute()) as { name: string }[];
  if (secrets.length === 0) return;
  const deployments = (await db.selectFrom("deployments").select(["flow_name", "name", "work_pool_name", "pull_steps", "job_variables"]).execute()) as {
    flow_name: string;
    name: string;
    work_pool_name: string | null;
    pull_steps: string;
    job_variables: string;
  }[];
  for (const { name } of secrets) {
    // The placeholder grammar of this release: {{ baton.secrets.NAME }}, spaces optional.
    const reference = new RegExp(`\\{\\{\\s*baton\\.secrets\\.${name.replace(/[-]/g, "\\-")}\\s*\\}\\}`);
    const users = deployments.filter((d) => reference.test(d.pull_steps) || reference.test(d.job_variables));
    // A deployment without a pool (served by `serve()`) matches only the pool pattern "*".
    const pools = [...new Set(users.map((d) => d.work_pool_name ?? "*"))].sort();
    const names = [...new Set(users.map((d) => `${d.flow_name}/${d.name}`))].sort();
    await db
      .updateTable("secrets")
      .set({ scope_work_pools: JSON.stringify(pools), scope_deployments: JSON.stringify(names) })
      .where("name", "=", name)
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("secrets").dropColumn("scope_deployments").execute();
  await db.schema.alterTable("secrets").dropColumn("scope_work_pools").execute();
  await db.schema.alterTable("flow_runs").dropColumn("claim_key_id").execute();
  await db.schema.alterTable("flow_runs").dropColumn("claim_id").execute();
}
