import { api, enc } from "../../api/client";
import type { Deployment, FlowRun, WorkPool } from "../../api/types";
import { ErrorAlert } from "../../components/ErrorAlert";
import { JsonBlock } from "../../components/Json";
import { renderJobConfiguration } from "../../core-browser";
import { useApi } from "../../lib/use-api";

/**
 * The job this run gets: the pool's template rendered with pool defaults < deployment < run
 * variables, by core's own renderer (the worker's), so secrets stay `{{ secret.x }}` references.
 */
export function JobConfiguration({ run, deployment }: { run: FlowRun; deployment: Deployment | undefined }) {
  const poolName = run.work_pool_name;
  const pool = useApi(poolName, () => api.get<WorkPool>(`/work_pools/${enc(poolName ?? "")}`));
  if (!poolName) return <p className="muted">This run has no work pool: it runs where it was started.</p>;
  if (pool.error) return <ErrorAlert error={pool.error} />;
  if (!pool.data) return null;
  const template = pool.data.base_job_template;
  // As the claim does: the infrastructure is named after the run unless a layer names it.
  const nameVariable = template.variables.properties.name;
  const naming = nameVariable && !("default" in nameVariable) ? { name: run.name } : undefined;
  let rendered: unknown;
  try {
    rendered = renderJobConfiguration(template, naming, deployment?.job_variables, run.job_variables ?? undefined);
  } catch (e) {
    return <ErrorAlert error={e instanceof Error ? e : new Error(String(e))} />;
  }
  return <JsonBlock value={rendered} label="Job configuration" />;
}
