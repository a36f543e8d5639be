import type { BatonDatabase } from "../../db/open.js";
import { findApiKeyById, toApiKey } from "../api-keys/repository.js";
import { Forbidden } from "../errors.js";
import { allows, deploymentTarget } from "../key-limits.js";
import { runFacts } from "./run-lookup.js";

/**
 * runDeployment from flow code: a run token may start (and look up by name) only the deployments
 * that the key which claimed its run may act on: a worker key made with `--work-pool P` starts
 * deployments of pool P only, one with `--deployment F/D` those deployments only; a key without
 * limits, any. Nothing else widens what the run can reach: the new run is its child (checked by
 * the caller), so the token follows it and nothing more. Throws Forbidden naming the limit and
 * the fix; false when the deployment does not exist (the route answers 404 for anyone else).
 */
export async function claimKeyMayRunDeployment(database: BatonDatabase, rootId: string, where: { id: string } | { flow: string; name: string }): Promise<boolean> {
  const run = await runFacts(database, rootId);
  const keyRow = run?.claim_key_id ? await findApiKeyById(database.db, run.claim_key_id) : undefined;
  if (!keyRow) {
    throw new Forbidden(`Forbidden: flow run ${rootId} was not claimed with an API key, so its run token may not start deployments; run it through a worker, or call runDeployment with an API key`);
  }
  const target = await deploymentTarget(database, where);
  if (!target) return true;
  const key = toApiKey(keyRow);
  if (allows(key, target)) return true;
  const limits = [key.work_pools !== null ? `work pools ${key.work_pools.join(", ") || "(none)"}` : "", key.deployments !== null ? `deployments ${key.deployments.join(", ") || "(none)"}` : ""].filter(Boolean).join(" and ");
  throw new Forbidden(
    `Forbidden: runDeployment("${target.deployment}"): the API key "${key.name}" that claimed flow run ${rootId} is limited to ${limits}, so its runs may not start deployment ${target.deployment}` +
      `${target.pool ? ` in work pool ${target.pool}` : ""}; give the worker a key whose limits include it (baton api-key create --work-pool/--deployment)`,
  );
}
