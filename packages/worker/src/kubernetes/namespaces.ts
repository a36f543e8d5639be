import { defaultJobVariables, type WorkPool } from "@baton/core";
import type { BatonClient } from "baton";

/**
 * The namespaces a pool's Jobs are created in: the pool's default `namespace` and every one a
 * deployment of the pool sets in its job_variables. A restarted worker looks for its Jobs in
 * each (namespaced lists only: the worker's Role covers its namespaces, not the cluster).
 */
export async function poolNamespaces(client: BatonClient, pool: WorkPool): Promise<string[]> {
  const defaults = defaultJobVariables(pool.base_job_template);
  const namespaces = new Set<string>([typeof defaults.namespace === "string" ? defaults.namespace : "default"]);
  let cursor: string | undefined;
  do {
    const page = await client.call("listDeployments", { query: { work_pool_name: pool.name, limit: 500, ...(cursor ? { cursor } : {}) } });
    for (const d of page.items) if (typeof d.job_variables?.namespace === "string" && d.job_variables.namespace) namespaces.add(d.job_variables.namespace);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return [...namespaces];
}
