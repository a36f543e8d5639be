import { BatonError, describeScope, renderTemplate, scopeAllows } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import { secretScopes } from "./repository.js";

/** Every `{{ baton.secrets.NAME }}` in a JSON document (stored as text). */
function secretNamesIn(json: string | null | undefined, into: Set<string>): void {
  if (!json) return;
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch {
    return;
  }
  renderTemplate(document, (placeholder) => {
    if (placeholder.kind === "secret") into.add(placeholder.name);
    return undefined;
  });
}

/** A run token asked for a secret its run may not use: 403, naming the secret, its scope, the run's pool and deployment, and the fix. */
export class SecretOutOfRunScope extends BatonError {
  override readonly code = "SecretOutOfScope";
  override readonly status = 403;
}

/**
 * Whether a flow run (the run a token names) may read secret `name`: when the secret's scope
 * covers the run's work pool and deployment (`flow/deployment`), or its pool's base job template
 * (an admin's) names it. The same rule `baton deploy` applies to references, so what flow code
 * reads with `getSecret("name")` is exactly what its deployment could have referenced; checked on
 * every read, so an admin narrowing a scope cuts off the runs already deployed. A secret that does
 * not exist is allowed through, so the read answers 404 SecretNotFound with the command to set it.
 * Throws SecretOutOfRunScope otherwise.
 */
export async function assertRunMayReadSecret(database: BatonDatabase, flowRunId: string, name: string): Promise<void> {
  const run = await database.db.selectFrom("flow_runs").select(["deployment_id", "work_pool_name"]).where("id", "=", flowRunId).executeTakeFirst();
  const deployment = run?.deployment_id
    ? await database.db.selectFrom("deployments").select(["flow_name", "name", "work_pool_name"]).where("id", "=", run.deployment_id).executeTakeFirst()
    : undefined;
  const scope = (await secretScopes(database.db, [name])).get(name);
  if (!scope) return;
  const poolName = run?.work_pool_name ?? deployment?.work_pool_name ?? null;
  if (deployment && scopeAllows(scope, poolName, `${deployment.flow_name}/${deployment.name}`)) return;
  if (poolName) {
    const pool = await database.db.selectFrom("work_pools").select("base_job_template").where("name", "=", poolName).executeTakeFirst();
    const fromTemplate = new Set<string>();
    secretNamesIn(pool?.base_job_template, fromTemplate);
    if (fromTemplate.has(name)) return;
  }
  const who = deployment ? `deployment ${deployment.flow_name}/${deployment.name}${poolName ? ` in work pool ${poolName}` : " (no work pool)"}` : "a flow run of no deployment";
  const fix = deployment
    ? `an admin widens its scope with baton secret set ${name} --keep-value --pool ${poolName ?? "'*'"} --deployment ${deployment.flow_name}/${deployment.name}`
    : "only runs of a deployment read secrets";
  throw new SecretOutOfRunScope(`SecretOutOfScope: secret "${name}" may be used by ${describeScope(scope)}, not by ${who}; ${fix}`);
}
