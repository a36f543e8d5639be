import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { ACTIVE_STATES } from "../orchestration/active-states.js";

export { ACTIVE_STATES };

export interface ActiveCounts {
  pool: number;
  byQueue: Map<string, number>;
}

/** Runs holding slots in a pool, in total and per queue. */
export async function activeInPool(db: Kysely<Database>, pool: string): Promise<ActiveCounts> {
  const rows = await db
    .selectFrom("flow_runs")
    .select((eb) => ["work_queue_name", eb.fn.countAll().as("n")])
    .where("work_pool_name", "=", pool)
    .where("state_type", "in", [...ACTIVE_STATES])
    .groupBy("work_queue_name")
    .execute();
  const byQueue = new Map<string, number>();
  let total = 0;
  for (const row of rows) {
    total += Number(row.n);
    if (row.work_queue_name) byQueue.set(row.work_queue_name, Number(row.n));
  }
  return { pool: total, byQueue };
}

/** Runs holding slots per deployment, wherever they run. */
export async function activeByDeployment(db: Kysely<Database>, deploymentIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (deploymentIds.length === 0) return out;
  const rows = await db
    .selectFrom("flow_runs")
    .select((eb) => ["deployment_id", eb.fn.countAll().as("n")])
    .where("deployment_id", "in", [...deploymentIds])
    .where("state_type", "in", [...ACTIVE_STATES])
    .groupBy("deployment_id")
    .execute();
  for (const row of rows) if (row.deployment_id) out.set(row.deployment_id, Number(row.n));
  return out;
}

/** Up to `limit` runs holding a slot, for telling who holds a full limit. */
export async function holders(db: Kysely<Database>, where: { pool?: string; queue?: string; deploymentId?: string }, limit = 20): Promise<{ id: string; name: string }[]> {
  let q = db.selectFrom("flow_runs").select(["id", "name"]).where("state_type", "in", [...ACTIVE_STATES]);
  if (where.pool) q = q.where("work_pool_name", "=", where.pool);
  if (where.queue) q = q.where("work_queue_name", "=", where.queue);
  if (where.deploymentId) q = q.where("deployment_id", "=", where.deploymentId);
  return q.orderBy("updated", "asc").limit(limit).execute();
}
