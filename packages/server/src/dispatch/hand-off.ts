import type { ClaimedRun } from "@baton/core";
import type { FlowRunTable } from "../db/schema.js";
import type { DeploymentRow } from "../deployments/rows.js";
import type { StateRoad } from "../orchestration/road.js";
import { attachDeployments, claimRuns, type ClaimInput } from "./claim.js";

/**
 * Claim a run in the transaction that makes it, for a claim waiting in this process
 * (orchestration/claim-desk.ts). Only where no limit has to be counted and nothing is paused:
 * the pool, the run's queue and its deployment have no concurrency limit, so the pool need not
 * be locked; otherwise [] and an ordinary claim takes the run, counting.
 */
export async function claimHandedRun(road: StateRoad, run: FlowRunTable, input: ClaimInput, now: Date, deployment?: DeploymentRow): Promise<ClaimedRun[]> {
  if (!run.work_pool_name || !run.work_queue_name) return [];
  const trx = road.trx;
  const found = await trx
    .selectFrom("work_pools")
    .innerJoin("work_queues", (join) => join.onRef("work_queues.work_pool_id", "=", "work_pools.id").on("work_queues.name", "=", run.work_queue_name!))
    .leftJoin("deployments", (join) => join.on("deployments.id", "=", run.deployment_id ?? ""))
    .selectAll("work_pools")
    .select(["work_queues.paused as queue_paused", "work_queues.concurrency_limit as queue_limit", "deployments.paused as deployment_paused", "deployments.concurrency_limit as deployment_limit"])
    .where("work_pools.name", "=", run.work_pool_name)
    .executeTakeFirst();
  if (!found || found.paused || found.concurrency_limit !== null || found.queue_paused || found.queue_limit !== null) return [];
  if (run.deployment_id && (found.deployment_paused === null || found.deployment_paused || found.deployment_limit !== null)) return [];
  const { queue_paused: _qp, queue_limit: _ql, deployment_paused: _dp, deployment_limit: _dl, ...pool } = found;
  // The maker read the run's deployment in this transaction: the claim's answer need not read it again.
  const known = deployment && deployment.id === run.deployment_id ? [deployment] : [];
  return attachDeployments(trx, pool, await claimRuns(road, pool, [run], input, now), known);
}
