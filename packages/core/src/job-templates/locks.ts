import type { FieldIssue } from "../errors.js";
import type { BaseJobTemplate, JobVariables } from "./schema.js";

/**
 * A variable whose schema says `"x-baton-locked": true` takes its value from the pool's base job
 * template only: a deployment or a run that sets it is refused. Work pools are written by admins
 * only, so the lock is the admin's; an `x-` keyword is what JSON Schema leaves for extensions, and
 * tools that do not know it (Prefect's UI, ajv with strict off) ignore it.
 */
export const LOCKED_KEYWORD = "x-baton-locked";

/**
 * Locked whatever the template says: how the worker reaches its cluster. A kubeconfig can run a
 * command (`exec`, `auth-provider`) or read files on the worker's host, so it is the worker's or
 * the pool's, never a deployment's or a run's.
 */
export const POOL_ONLY_VARIABLES: readonly string[] = ["cluster_config"];

/** The variables of this template that deployments and runs may not set. */
export function lockedVariableNames(template: BaseJobTemplate): string[] {
  const names = new Set(POOL_ONLY_VARIABLES);
  for (const [name, schema] of Object.entries(template.variables.properties)) {
    if ((schema as Record<string, unknown>)[LOCKED_KEYWORD] === true) names.add(name);
  }
  return [...names];
}

/** Job variables a deployment or a run sets that only the pool may set. */
export function lockedJobVariables(template: BaseJobTemplate, jobVariables: JobVariables, path = "job_variables", poolName?: string): FieldIssue[] {
  const locked = new Set(lockedVariableNames(template));
  const pool = poolName ? `work pool "${poolName}"` : "the work pool";
  return Object.keys(jobVariables)
    .filter((name) => locked.has(name))
    .map((name) => ({
      path: `${path}.${name}`,
      message: POOL_ONLY_VARIABLES.includes(name)
        ? `"${name}" is refused from deployments and runs: cluster credentials come from the worker or the work pool; remove it from job_variables (an admin sets it in ${pool}'s base job template, or starts the worker with the cluster's kubeconfig)`
        : `"${name}" is locked by ${pool}'s admin ("${LOCKED_KEYWORD}": true in its variables schema): only the pool's base job template sets it; remove it from job_variables, or ask an admin to set it there or unlock it (baton work-pool update ${poolName ?? "POOL"} --base-job-template FILE)`,
    }));
}

/**
 * The deployment's or the run's variables without the locked ones. Values are checked when they
 * are written; this keeps a value written before its variable was locked from reaching a worker.
 */
export function withoutLockedVariables(template: BaseJobTemplate, jobVariables: JobVariables | undefined): JobVariables | undefined {
  if (!jobVariables) return jobVariables;
  const locked = new Set(lockedVariableNames(template));
  return Object.fromEntries(Object.entries(jobVariables).filter(([name]) => !locked.has(name)));
}
