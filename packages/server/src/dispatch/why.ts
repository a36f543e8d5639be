import type { WhyResult } from "@baton/core";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { readFlowRunRow, type FlowRunRow } from "../flow-runs/repository.js";
import { isWorkerOnline } from "../work-pools/rows.js";
import { activeByDeployment, activeInPool, holders } from "./limits.js";
import { limitWaitReason } from "../concurrency/why.js";

type Reason = WhyResult["reasons"][number];

const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 1000))}s`;

/**
 * Why a run has not started: every reason that applies, not the first one, each saying
 * what to do. A run that is due, in an unpaused pool with a worker online and free slots
 * has no reason: a worker claims it at its next look.
 */
export async function whyFlowRun(db: Kysely<Database>, id: string, now: Date): Promise<WhyResult> {
  const run = await readFlowRunRow(db, id);
  const reasons =
    run.state_type === "SCHEDULED" || run.state_type === "PENDING"
      ? await waitingReasons(db, run, now)
      : [(run.state_type === "RUNNING" ? await limitWaitReason(db, run.id, now) : undefined) ?? startedReason(run)];
  return { flow_run_id: run.id, state_type: run.state_type, state_name: run.state_name, reasons };
}

function startedReason(run: FlowRunRow): Reason {
  return {
    code: "ALREADY_STARTED",
    message: `the run is ${run.state_type} (${run.state_name}), not waiting to start${run.start_time ? `; it started at ${run.start_time}` : ""}; see its logs with baton flow-run logs ${run.id}`,
  };
}

async function waitingReasons(db: Kysely<Database>, run: FlowRunRow, now: Date): Promise<Reason[]> {
  const reasons: Reason[] = [];
  if (run.state_type === "PENDING" && run.worker_name) {
    const leaseOver = run.lease_expiration !== null && run.lease_expiration < now.toISOString();
    reasons.push(
      leaseOver
        ? { code: "LEASE_LOST", message: `worker "${run.worker_name}" claimed the run and did not start it before its lease ended at ${run.lease_expiration}; the server puts it back in the queue on its next pass` }
        : {
            code: "CLAIMED_NOT_STARTED",
            message: `worker "${run.worker_name ?? "?"}" claimed the run and is starting it${run.lease_expiration ? `; if it has not started by ${run.lease_expiration} (its lease), it goes back to the queue` : ""}; the worker's output says more`,
          },
    );
    return reasons;
  }
  if (run.worker_name && run.lease_expiration) {
    reasons.push({ code: "LEASE_LOST", message: `worker "${run.worker_name}" claimed the run earlier but did not start it before its lease ended at ${run.lease_expiration}; it is back in the queue. Check that worker's output (did it die, or fail to start the process?)` });
  }
  if (run.next_scheduled_time && run.next_scheduled_time > now.toISOString()) {
    reasons.push({ code: "SCHEDULED_IN_FUTURE", message: `the run is scheduled for ${run.next_scheduled_time}, in ${seconds(Date.parse(run.next_scheduled_time) - now.getTime())}; it starts then` });
  }
  const deployment = run.deployment_id ? await db.selectFrom("deployments").selectAll().where("id", "=", run.deployment_id).executeTakeFirst() : undefined;
  if (deployment?.paused) {
    reasons.push({ code: "DEPLOYMENT_PAUSED", message: `deployment ${deployment.flow_name}/${deployment.name} is paused; resume it with baton deployment resume ${deployment.flow_name}/${deployment.name}` });
  }
  if (!run.work_pool_name) {
    reasons.push({
      code: "NO_WORK_POOL",
      message: deployment
        ? `deployment ${deployment.flow_name}/${deployment.name} has no work pool: only a process serving it (flow.serve) runs it; set work_pool in baton.yaml and run baton deploy, or serve the flow`
        : "the run belongs to no deployment and no work pool, so no worker will pick it up; run it in a process (call the flow) or run a deployment instead",
    });
    return reasons;
  }
  const pool = await db.selectFrom("work_pools").selectAll().where("name", "=", run.work_pool_name).executeTakeFirst();
  if (!pool) {
    reasons.push({ code: "WORK_POOL_NOT_FOUND", message: `work pool "${run.work_pool_name}" does not exist; create it with baton work-pool create ${run.work_pool_name} --type process, or start a worker: baton worker start --pool ${run.work_pool_name}` });
    return reasons;
  }
  if (pool.paused) reasons.push({ code: "WORK_POOL_PAUSED", message: `work pool "${pool.name}" is paused; resume it with baton work-pool resume ${pool.name}` });
  const workers = await db.selectFrom("workers").select(["name", "last_heartbeat_time", "heartbeat_interval_seconds"]).where("work_pool_id", "=", pool.id).execute();
  if (!workers.some((w) => isWorkerOnline(w, now))) {
    const last = workers.map((w) => w.last_heartbeat_time).sort().pop();
    reasons.push({
      code: "NO_WORKER_ONLINE",
      message: `no worker is online in work pool "${pool.name}"${last ? ` (the last heartbeat was at ${last})` : ""}; start one with baton worker start --pool ${pool.name}`,
    });
  }
  const queue = await db.selectFrom("work_queues").selectAll().where("work_pool_id", "=", pool.id).where("name", "=", run.work_queue_name ?? "default").executeTakeFirst();
  if (queue?.paused) reasons.push({ code: "WORK_QUEUE_PAUSED", message: `queue "${queue.name}" of work pool "${pool.name}" is paused; resume it with baton work-queue resume ${queue.name} --pool ${pool.name}` });
  const active = await activeInPool(db, pool.name);
  if (pool.concurrency_limit !== null && active.pool >= Number(pool.concurrency_limit)) {
    reasons.push({
      code: "POOL_CONCURRENCY_FULL",
      message: `work pool "${pool.name}" runs at most ${pool.concurrency_limit} run(s) at once and ${active.pool} hold a slot; it starts when one ends, or raise the limit with baton work-pool update ${pool.name} --concurrency-limit N`,
      holders: await holders(db, { pool: pool.name }),
    });
  }
  if (queue && queue.concurrency_limit !== null && (active.byQueue.get(queue.name) ?? 0) >= Number(queue.concurrency_limit)) {
    reasons.push({
      code: "QUEUE_CONCURRENCY_FULL",
      message: `queue "${queue.name}" of work pool "${pool.name}" runs at most ${queue.concurrency_limit} run(s) at once and ${active.byQueue.get(queue.name)} hold a slot; it starts when one ends, or raise the limit with baton work-queue update ${queue.name} --pool ${pool.name} --concurrency-limit N`,
      holders: await holders(db, { pool: pool.name, queue: queue.name }),
    });
  }
  if (deployment && deployment.concurrency_limit !== null) {
    const held = (await activeByDeployment(db, [deployment.id])).get(deployment.id) ?? 0;
    if (held >= Number(deployment.concurrency_limit)) {
      reasons.push({
        code: "DEPLOYMENT_CONCURRENCY_FULL",
        message: `deployment ${deployment.flow_name}/${deployment.name} runs at most ${deployment.concurrency_limit} run(s) at once and ${held} hold a slot; it starts when one ends, or raise concurrency_limit in baton.yaml and run baton deploy`,
        holders: await holders(db, { deploymentId: deployment.id }),
      });
    }
  }
  return reasons;
}
