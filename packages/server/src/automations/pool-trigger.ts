import type { BatonDatabase } from "../db/open.js";
import { MISSED_HEARTBEATS_OFFLINE, isWorkerOnline } from "../work-pools/rows.js";
import { enabledOf, eventFacts, firing, insertFirings } from "./firings.js";

/**
 * When each pool lost its last online worker: the latest moment any of its workers stopped
 * counting as online (three missed heartbeats), or the pool's creation if it never had one;
 * null while a worker is online. The moment stays the same for the whole outage.
 */
async function outages(database: BatonDatabase, pools: readonly string[], now: Date): Promise<Array<{ name: string; since: string }>> {
  let q = database.db.selectFrom("work_pools").select(["id", "name", "created"]);
  if (pools.length > 0) q = q.where("name", "in", [...pools]);
  const rows = await q.execute();
  if (rows.length === 0) return [];
  const workers = await database.db.selectFrom("workers").select(["work_pool_id", "last_heartbeat_time", "heartbeat_interval_seconds"]).where("work_pool_id", "in", rows.map((r) => r.id)).execute();
  return rows.flatMap((pool) => {
    const own = workers.filter((w) => w.work_pool_id === pool.id);
    if (own.some((w) => isWorkerOnline(w, now))) return [];
    const lost = own.map((w) => Date.parse(w.last_heartbeat_time) + MISSED_HEARTBEATS_OFFLINE * Number(w.heartbeat_interval_seconds) * 1000);
    return [{ name: pool.name, since: lost.length > 0 ? new Date(Math.max(...lost)).toISOString() : pool.created }];
  });
}

/**
 * "A pool without an online worker for N": fires once per outage, its event key the pool and the
 * moment the outage began; a worker that comes back and leaves again begins a new one.
 */
export async function poolOfflineTriggers(database: BatonDatabase, now: Date): Promise<number> {
  let fired = 0;
  for (const a of await enabledOf(database.db, "work_pool_offline")) {
    const { trigger } = a;
    const long = (await outages(database, trigger.work_pools, now)).filter((o) => now.getTime() - Date.parse(o.since) >= trigger.seconds * 1000);
    const rows = long.map((o) => {
      const message = `work pool ${o.name} has had no online worker since ${o.since}, longer than ${trigger.seconds}s`;
      return firing(a.row, `pool_offline:${o.name}:${o.since}`, "WORK_POOL_OFFLINE", eventFacts("WORK_POOL_OFFLINE", "No online worker", message, now), now);
    });
    fired += await insertFirings(database.db, rows);
  }
  return fired;
}
