import { renderJobConfiguration, uuidv7, withoutLockedVariables, type ClaimedRun, type ClaimRequestSchema } from "@baton/core";
import { sql, type Kysely } from "kysely";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import { fromJson } from "../db/rows.js";
import type { Database } from "../db/schema.js";
import { scheduleRowsOf } from "../deployments/read.js";
import { toDeployment, type DeploymentRow } from "../deployments/rows.js";
import { toFlowRun, type FlowRunRow } from "../flow-runs/repository.js";
import { travel, type StateRoad } from "../orchestration/road.js";
import { publishRunClaimed } from "../orchestration/run-channels.js";
import { stateFromCreate } from "../orchestration/states.js";
import { WorkPoolNotFound, WorkQueueNotFound } from "../work-pools/errors.js";
import { listQueueRows } from "../work-pools/queues.js";
import { readWorkPoolRow } from "../work-pools/repository.js";
import { templateOf, type WorkPoolRow } from "../work-pools/rows.js";
import { activeByDeployment, activeInPool } from "./limits.js";

/** The request, and the API key that sends it (the route adds it): run tokens are tied to it. */
export type ClaimInput = z.output<typeof ClaimRequestSchema> & { claim_key_id?: string | null };

/** Candidates read per claim beyond the runs wanted, to step over runs a limit just filled. */
const CANDIDATE_SLACK = 50;

/**
 * Move due SCHEDULED runs of a pool to PENDING for one worker, atomically: queue priority
 * first, then scheduled time, within every concurrency limit, skipping paused queues and
 * deployments. On PostgreSQL the pool row is locked for the claim (claims of one pool take
 * turns, so limits are counted right) and candidate runs are read FOR UPDATE SKIP LOCKED (a
 * run another transaction is changing is left for the next claim); SQLite has one writer.
 * Each claimed run gets a lease: not started by its end, it goes back to SCHEDULED.
 */
export async function claimFlowRuns(database: BatonDatabase, poolName: string, input: ClaimInput, now: Date): Promise<{ runs: ClaimedRun[]; nextDue?: number }> {
  const { due, nextDue } = await anyRunDue(database, poolName, input, now);
  // nextDue also when the due runs are held back by a limit: a later run may be in a queue with room.
  const runs = due ? await claimDueRuns(database, poolName, input, now) : [];
  return nextDue === undefined ? { runs } : { runs, nextDue };
}

async function claimDueRuns(database: BatonDatabase, poolName: string, input: ClaimInput, now: Date): Promise<ClaimedRun[]> {
  return travel(database, async (road) => {
    const trx = road.trx;
    const pool = await readWorkPoolRow(trx, poolName, { forUpdate: database.kind === "postgresql" });
    if (pool.paused) return [];
    const queues = await listQueueRows(trx, pool.id);
    if (input.queues) {
      const unknown = input.queues.find((q) => !queues.some((row) => row.name === q));
      if (unknown) throw new WorkQueueNotFound(pool.name, unknown, queues.map((q) => q.name));
    }
    const open = queues.filter((q) => !q.paused && (!input.queues || input.queues.includes(q.name)));
    // Slots are counted only where a limit can run out (a read of every active run of the pool).
    const counted = pool.concurrency_limit !== null || open.some((q) => q.concurrency_limit !== null);
    const active = counted ? await activeInPool(trx, pool.name) : { pool: 0, byQueue: new Map<string, number>() };
    let poolFree = pool.concurrency_limit === null ? Infinity : Number(pool.concurrency_limit) - active.pool;
    const queueFree = new Map<string, number>();
    for (const q of open) {
      const free = q.concurrency_limit === null ? Infinity : Number(q.concurrency_limit) - (active.byQueue.get(q.name) ?? 0);
      if (free > 0) queueFree.set(q.name, free);
    }
    if (poolFree <= 0 || queueFree.size === 0) return [];

    const limited = await trx
      .selectFrom("deployments")
      .select(["id", "concurrency_limit"])
      .where("work_pool_name", "=", pool.name)
      .where("concurrency_limit", "is not", null)
      .execute();
    const deploymentActive = await activeByDeployment(trx, limited.map((d) => d.id));
    const deploymentFree = new Map(limited.map((d) => [d.id, Number(d.concurrency_limit) - (deploymentActive.get(d.id) ?? 0)]));
    const full = [...deploymentFree].filter(([, free]) => free <= 0).map(([id]) => id);

    const candidates = await candidateRuns(database, trx, pool, [...queueFree.keys()], full, input.limit + CANDIDATE_SLACK, now);
    const chosen: FlowRunRow[] = [];
    for (const run of candidates) {
      if (chosen.length >= input.limit || poolFree <= 0) break;
      const queue = run.work_queue_name!;
      if ((queueFree.get(queue) ?? 0) <= 0) continue;
      const depFree = run.deployment_id ? deploymentFree.get(run.deployment_id) : undefined;
      if (depFree !== undefined && depFree <= 0) continue;
      chosen.push(run);
      poolFree -= 1;
      queueFree.set(queue, queueFree.get(queue)! - 1);
      if (depFree !== undefined) deploymentFree.set(run.deployment_id!, depFree - 1);
    }
    if (chosen.length === 0) return [];
    return attachDeployments(trx, pool, await claimRuns(road, pool, chosen, input, now));
  });
}

/**
 * An idle worker's poll is one indexed read, outside any transaction: is any run of the pool
 * due at all, and if not, when is the next one due (a waiting claim wakes then)? Only when one
 * is due is the pool locked and everything counted. Still a 404 for a pool or queue that does
 * not exist.
 */
async function anyRunDue(database: BatonDatabase, poolName: string, input: ClaimInput, now: Date): Promise<{ due: boolean; nextDue?: number }> {
  const pool = await database.db
    .selectFrom("work_pools")
    .select((eb) => [
      "id",
      "paused",
      eb
        .exists(
          eb
            .selectFrom("flow_runs")
            .select("flow_runs.id")
            .where("flow_runs.work_pool_name", "=", poolName)
            .where("flow_runs.state_type", "=", "SCHEDULED")
            .where("flow_runs.next_scheduled_time", "<=", now.toISOString()),
        )
        .as("due"),
      eb
        .selectFrom("flow_runs")
        .select((inner) => inner.fn.min("next_scheduled_time").as("next"))
        .where("flow_runs.work_pool_name", "=", poolName)
        .where("flow_runs.state_type", "=", "SCHEDULED")
        .where("flow_runs.next_scheduled_time", ">", now.toISOString())
        .as("next_due"),
    ])
    .where("name", "=", poolName)
    .executeTakeFirst();
  if (!pool) throw new WorkPoolNotFound(poolName);
  if (input.queues) {
    const queues = await listQueueRows(database.db, pool.id);
    const unknown = input.queues.find((q) => !queues.some((row) => row.name === q));
    if (unknown) throw new WorkQueueNotFound(poolName, unknown, queues.map((q) => q.name));
  }
  const nextDue = pool.next_due ? Date.parse(pool.next_due) : undefined;
  return { due: Boolean(pool.due) && !pool.paused, ...(nextDue !== undefined ? { nextDue } : {}) };
}

/** Due runs of the pool in the given queues, by queue priority then due time, paused and full deployments left out. */
async function candidateRuns(database: BatonDatabase, trx: Kysely<Database>, pool: WorkPoolRow, queues: string[], fullDeployments: string[], limit: number, now: Date): Promise<FlowRunRow[]> {
  let q = trx
    .selectFrom("flow_runs")
    .innerJoin("work_queues", (join) => join.on("work_queues.work_pool_id", "=", pool.id).onRef("work_queues.name", "=", "flow_runs.work_queue_name"))
    .leftJoin("deployments", "deployments.id", "flow_runs.deployment_id")
    .selectAll("flow_runs")
    .where("flow_runs.work_pool_name", "=", pool.name)
    .where("flow_runs.state_type", "=", "SCHEDULED")
    .where("flow_runs.next_scheduled_time", "<=", now.toISOString())
    .where("flow_runs.work_queue_name", "in", queues)
    .where((eb) => eb.or([eb("deployments.id", "is", null), eb("deployments.paused", "=", 0)]));
  if (fullDeployments.length > 0) q = q.where((eb) => eb.or([eb("flow_runs.deployment_id", "is", null), eb("flow_runs.deployment_id", "not in", fullDeployments)]));
  q = q.orderBy("work_queues.priority", "asc").orderBy("flow_runs.next_scheduled_time", "asc").orderBy("flow_runs.id", "asc").limit(limit);
  if (database.kind === "postgresql") q = q.modifyEnd(sql`for update of flow_runs skip locked`);
  return q.execute();
}

/**
 * The chosen runs go PENDING on the road, in one batch, each with a lease and a new claim id
 * (the run tokens of an earlier claim of the run stop working). Every run was read locked and
 * due, so the policy accepts each; one it would not is left out.
 */
export async function claimRuns(road: StateRoad, pool: WorkPoolRow, runs: FlowRunRow[], input: ClaimInput, now: Date): Promise<(FlowRunRow & { claim_id: string })[]> {
  const lease = new Date(now.getTime() + input.lease_seconds * 1000).toISOString();
  const message = `claimed by worker "${input.worker_name}" of work pool "${pool.name}"`;
  const outcomes = await road.apply(
    runs.map((row) => ({
      row,
      proposed: stateFromCreate({ type: "PENDING", message }, now),
      cause: "claim" as const,
      dispatch: { worker_name: input.worker_name, lease_expiration: lease, claim_id: uuidv7(now.getTime()), claim_key_id: input.claim_key_id ?? null },
    })),
    now,
  );
  return runs.flatMap((run, i) => {
    const columns = outcomes[i]!.decision.status === "ACCEPT" ? outcomes[i]!.columns : null;
    if (!columns?.claim_id) return [];
    publishRunClaimed({ db: road.database.db, pool: pool.name, dueAt: run.next_scheduled_time ?? run.created, claimedAt: now });
    return [{ ...run, ...columns, claim_id: columns.claim_id }];
  });
}

/**
 * Each run with its deployment and its job configuration: pool defaults < deployment < run variables.
 * `known`: deployment rows already read in this transaction, not read again.
 */
export async function attachDeployments(trx: Kysely<Database>, pool: WorkPoolRow, runs: (FlowRunRow & { claim_id: string })[], known: readonly DeploymentRow[] = []): Promise<ClaimedRun[]> {
  const ids = [...new Set(runs.map((r) => r.deployment_id).filter((id): id is string => id !== null))];
  const unread = ids.filter((id) => !known.some((row) => row.id === id));
  const rows: DeploymentRow[] = [...known.filter((row) => ids.includes(row.id)), ...(unread.length > 0 ? await trx.selectFrom("deployments").selectAll().where("id", "in", unread).execute() : [])];
  const schedules = await scheduleRowsOf(trx, ids);
  const deployments = new Map(rows.map((row) => [row.id, toDeployment(row, schedules.get(row.id) ?? [])]));
  const template = templateOf(pool);
  return runs.map((run) => {
    const deployment = run.deployment_id ? (deployments.get(run.deployment_id) ?? null) : null;
    const runVariables = run.job_variables === null ? undefined : fromJson<Record<string, unknown>>(run.job_variables);
    // The infrastructure is named after the run unless a layer names it.
    const nameVariable = template.variables.properties.name;
    const naming = nameVariable && !("default" in nameVariable) ? { name: run.name } : undefined;
    return {
      flow_run: toFlowRun(run),
      deployment,
      claim_id: run.claim_id,
      // A value written before its variable was locked never reaches the worker: the pool's applies.
      job_configuration: renderJobConfiguration(template, naming, withoutLockedVariables(template, deployment?.job_variables), withoutLockedVariables(template, runVariables)),
    };
  });
}
