import { describeScope, renderTemplate, scopeAllows, ValidationError, type FieldIssue } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import { secretScopes } from "./repository.js";

/** A deployment or run names a secret its scope does not cover: 422, naming the secret, its scope and the fix. */
export class SecretOutOfScope extends ValidationError {
  override readonly code = "SecretOutOfScope";
}

/** Every `{{ baton.secrets.NAME }}` in a JSON value, with where it was found. */
export function secretReferences(value: unknown, path: string, into: Map<string, string> = new Map()): Map<string, string> {
  renderTemplate(value, (placeholder) => {
    if (placeholder.kind === "secret" && !into.has(placeholder.name)) into.set(placeholder.name, path);
    return undefined;
  });
  return into;
}

/**
 * Refuses (SecretOutOfScope) when a deployment `flow/name` in `pool` references a secret whose
 * scope does not cover it, or that its pool's base job template (an admin's) does not name.
 * `references` maps each secret name to the field that names it. A secret that does not exist
 * is left to the run to report: deploying before setting it is allowed.
 */
export async function assertSecretsInScope(database: BatonDatabase, references: Map<string, string>, pool: string | null, deployment: string): Promise<void> {
  if (references.size === 0) return;
  const scopes = await secretScopes(database.db, references.keys());
  const fromTemplate = pool === null ? new Set<string>() : await poolTemplateSecrets(database, pool);
  const issues: FieldIssue[] = [];
  for (const [name, path] of references) {
    const scope = scopes.get(name);
    if (!scope || fromTemplate.has(name) || scopeAllows(scope, pool, deployment)) continue;
    issues.push({
      path,
      message:
        `secret "${name}" may be used by ${describeScope(scope)}, not by deployment ${deployment}${pool ? ` in work pool ${pool}` : " (no work pool)"}; ` +
        `an admin widens its scope with baton secret set ${name} --keep-value --pool ${pool ?? "'*'"} --deployment ${deployment}`,
    });
  }
  if (issues.length > 0) throw new SecretOutOfScope(`SecretOutOfScope: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, issues);
}

/** Secrets a pool's base job template names: set by an admin for that pool's runs, so in scope for them. */
export async function poolTemplateSecrets(database: BatonDatabase, pool: string): Promise<Set<string>> {
  const row = await database.db.selectFrom("work_pools").select("base_job_template").where("name", "=", pool).executeTakeFirst();
  const names = new Set<string>();
  if (row) for (const name of secretReferences(JSON.parse(row.base_job_template), "base_job_template").keys()) names.add(name);
  return names;
}
