import { renderJobConfiguration, type FieldIssue, type WorkPool } from "@baton/core";

/**
 * A secret the pool's template and the deployment's job variables put anywhere but `env` is
 * refused by every worker (it would be written in plain text: command line, labels, the Job):
 * say so at deploy time, at the deployment's job_variables, instead of Crashing every run.
 */
export async function checkSecretPlacement(pool: WorkPool, jobVariables: Record<string, unknown>, path: string): Promise<FieldIssue[]> {
  let config: Record<string, unknown>;
  try {
    config = renderJobConfiguration(pool.base_job_template, jobVariables);
  } catch {
    return []; // the template check reports it
  }
  const { secretPlacements } = await import("@baton/worker");
  return secretPlacements(config)
    .filter((p) => !p.allowed)
    .map((p) => ({
      path: `${path}.job_variables`,
      message: `{{ baton.secrets.${p.secret} }} lands in the job configuration's ${p.path}, outside env: workers refuse a secret there (it would be written in plain text); put it in env and read the variable instead (see baton deployment preview)`,
    }));
}
