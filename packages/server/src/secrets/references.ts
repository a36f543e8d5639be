import { renderTemplate } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";

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

/**
 * The secrets a flow run may read: those its run configuration names, i.e. the deployment's pull
 * steps and job variables, the run's own job variables, and its work pool's base job template
 * (an admin's). A secret the run's code asks for by name but its deployment never mentions is
 * not among them: what a run can read is visible in `baton deployment inspect`.
 */
export async function secretsReferencedByRun(database: BatonDatabase, flowRunId: string): Promise<Set<string>> {
  const names = new Set<string>();
  const run = await database.db.selectFrom("flow_runs").select(["deployment_id", "job_variables", "work_pool_name"]).where("id", "=", flowRunId).executeTakeFirst();
  if (!run?.deployment_id) return names;
  secretNamesIn(run.job_variables, names);
  const deployment = await database.db.selectFrom("deployments").select(["pull_steps", "job_variables", "work_pool_name"]).where("id", "=", run.deployment_id).executeTakeFirst();
  if (!deployment) return names;
  secretNamesIn(deployment.pull_steps, names);
  secretNamesIn(deployment.job_variables, names);
  const poolName = run.work_pool_name ?? deployment.work_pool_name;
  if (poolName) {
    const pool = await database.db.selectFrom("work_pools").select("base_job_template").where("name", "=", poolName).executeTakeFirst();
    secretNamesIn(pool?.base_job_template, names);
  }
  return names;
}
