import { sql } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import { FILL_NOW } from "../deployments/future-runs.js";

export interface RunCount {
  state: string;
  state_name: string;
  pool: string;
  count: number;
}

export interface QueueDepth {
  pool: string;
  queue: string;
  depth: number;
}

export interface DatabaseGauges {
  runs: RunCount[];
  late: Array<{ pool: string; count: number }>;
  queues: QueueDepth[];
  /** Seconds the most overdue schedule has waited for the scheduler (0 when none is due). */
  schedulerLagSeconds: number;
}

/**
 * What the metrics read from the database at each scrape: a handful of grouped counts (every
 * replica answers the same numbers; aggregate with max() in queries). The run counts cover all
 * kept runs: retention (BATON_SERVER_RETENTION_DAYS) is what keeps that scan bounded.
 */
export async function readDatabaseGauges(database: BatonDatabase, now: Date): Promise<DatabaseGauges> {
  const db = database.db;
  const runs = await db
    .selectFrom("flow_runs")
    .select(["state_type", "state_name", "work_pool_name", sql<number>`count(*)`.as("count")])
    .groupBy(["state_type", "state_name", "work_pool_name"])
    .execute();
  const late = await db
    .selectFrom("flow_runs")
    .select(["work_pool_name", sql<number>`count(*)`.as("count")])
    .where("state_type", "=", "SCHEDULED")
    .where("state_name", "=", "Late")
    .groupBy("work_pool_name")
    .execute();
  const queues = await db.selectFrom("work_queues").innerJoin("work_pools", "work_pools.id", "work_queues.work_pool_id").select(["work_pools.name as pool", "work_queues.name as queue"]).execute();
  // By pool name, so each pool's due runs are one range of ix_flow_runs_pool_due (there is no
  // index on state and due time alone: migration 0026).
  const pools = [...new Set(queues.map((q) => q.pool))];
  const due =
    pools.length === 0
      ? []
      : await db
          .selectFrom("flow_runs")
          .select(["work_pool_name", "work_queue_name", sql<number>`count(*)`.as("count")])
          .where("work_pool_name", "in", pools)
          .where("state_type", "=", "SCHEDULED")
          .where("next_scheduled_time", "<=", now.toISOString())
          .groupBy(["work_pool_name", "work_queue_name"])
          .execute();
  const depth = new Map(queues.map((q) => [`${q.pool}\u0000${q.queue}`, { pool: q.pool, queue: q.queue, depth: 0 }]));
  for (const row of due) {
    const key = `${row.work_pool_name}\u0000${row.work_queue_name ?? ""}`;
    const entry = depth.get(key) ?? { pool: row.work_pool_name ?? "", queue: row.work_queue_name ?? "", depth: 0 };
    entry.depth += Number(row.count);
    depth.set(key, entry);
  }
  const overdue = await db
    .selectFrom("deployment_schedules")
    .select("fill_due")
    .where("fill_due", "<=", now.toISOString())
    // A schedule just made or changed is due "since the epoch" (fill now): not lag, a pass is coming.
    .where("fill_due", ">", FILL_NOW)
    .orderBy("fill_due")
    .limit(1)
    .executeTakeFirst();
  return {
    runs: runs.map((r) => ({ state: r.state_type, state_name: r.state_name, pool: r.work_pool_name ?? "", count: Number(r.count) })),
    late: late.map((r) => ({ pool: r.work_pool_name ?? "", count: Number(r.count) })),
    queues: [...depth.values()],
    schedulerLagSeconds: overdue ? Math.max(0, (now.getTime() - Date.parse(overdue.fill_due)) / 1000) : 0,
  };
}
