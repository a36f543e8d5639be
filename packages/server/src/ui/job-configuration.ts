import { jobVariableIssues, renderJobConfiguration, withoutLockedVariables, type FieldIssue, type JobConfigurationView } from "@baton/core";
import type { Kysely } from "kysely";
import { fromJson } from "../db/rows.js";
import type { Database } from "../db/schema.js";
import { readDeploymentRow } from "../deployments/read.js";
import { readFlowRunRow } from "../flow-runs/repository.js";
import { templateOf } from "../work-pools/rows.js";

type Variables = Record<string, unknown>;
const variablesOf = (json: string | null): Variables | undefined => (json === null ? undefined : fromJson<Variables>(json));

/**
 * Render as the claim does (dispatch/claim.ts): pool defaults < the run's name < deployment <
 * run job variables, a locked variable from the pool only; the issues are what deploy and run
 * would refuse today (a value written before a lock or a schema change). renderJobConfiguration leaves `{{ baton.secrets.X }}`, variables and $ENV
 * as written, so the view never holds a secret value.
 */
async function render(db: Kysely<Database>, poolName: string | null, layers: { naming?: Variables; deployment?: Variables; run?: Variables }): Promise<JobConfigurationView> {
  if (!poolName) return { work_pool_name: null, work_pool_type: null, job_configuration: null, issues: [{ path: "work_pool_name", message: "no work pool: no worker launches this, so there is no job configuration" }] };
  const pool = await db.selectFrom("work_pools").selectAll().where("name", "=", poolName).executeTakeFirst();
  if (!pool) {
    return { work_pool_name: poolName, work_pool_type: null, job_configuration: null, issues: [{ path: "work_pool_name", message: `work pool "${poolName}" does not exist (any more); create it, or deploy to an existing pool` }] };
  }
  const template = templateOf(pool);
  const issues: FieldIssue[] = [
    ...jobVariableIssues(template, layers.deployment ?? {}, "deployment.job_variables", pool.name),
    ...jobVariableIssues(template, layers.run ?? {}, "flow_run.job_variables", pool.name),
  ];
  // The infrastructure is named after the run unless the template or a layer names it (as in the claim).
  const nameVariable = template.variables.properties.name;
  const naming = nameVariable && !("default" in nameVariable) ? layers.naming : undefined;
  return { work_pool_name: pool.name, work_pool_type: pool.type, job_configuration: renderJobConfiguration(template, naming, withoutLockedVariables(template, layers.deployment), withoutLockedVariables(template, layers.run)), issues };
}

export async function deploymentJobConfiguration(db: Kysely<Database>, id: string): Promise<JobConfigurationView> {
  const deployment = await readDeploymentRow(db, id);
  return render(db, deployment.work_pool_name, { deployment: variablesOf(deployment.job_variables) });
}

export async function flowRunJobConfiguration(db: Kysely<Database>, id: string): Promise<JobConfigurationView> {
  const run = await readFlowRunRow(db, id);
  const deployment = run.deployment_id ? await db.selectFrom("deployments").select("job_variables").where("id", "=", run.deployment_id).executeTakeFirst() : undefined;
  return render(db, run.work_pool_name, { naming: { name: run.name }, deployment: variablesOf(deployment?.job_variables ?? null), run: variablesOf(run.job_variables) });
}
