import type { BatonDatabase } from "../db/open.js";
import { MISSED_HEARTBEATS_OFFLINE, isWorkerOnline } from "../work-pools/rows.js";
import { enabledOf, eventFacts, firing, insertFirings } from "./firings.js";

/**
 * When each pool lost its last online worker: the latest moment any of its workers stopped
 * counting as online (three missed heartbeats), or the pool's creation if it never had one;
 * null while a worker is online. The moment stays the same for the whole outage.
 */
async function outages(database: BatonDatabase, now: Date): Promise<Array<{ name: string; since: string }>> {
  const rows = await database.db.selectFrom("work_pools").select(["id", "name", "created"]).execute();
  if (rows.length === 0) return [];
  const workers = await database.db.selectFrom("workers").select(["work_pool_id", "last_heartbeat_time", "heartbeat_interval_seconds"]).execute();
  return rows.flatMap((pool) => {
    const own = workers.filter((w) => w.work_pool_id === pool.id);
    if (own.some((w) => isWorkerOnline(w, now))) return [];
    const lost = own.map((w) => Date.parse(w.last_heartbeat_time) + MISSED_HEARTBEATS_OFFLINE * Number(w.heartbeat_interval_seconds) * 1000);
    return [{ name: pool.name, since: lost.length > 0 ? new Date(Math.max(...lost)).toISOString() : pool.created }];
  });
}

/** Outages each automation has fired for, so a long one costs no insert each pass (per process; the key keeps replicas to one firing). */
const fired = new Set<string>();

/**
 * "A pool without an online worker for N": fires once per outage, its event key the pool and the
 * moment the outage began; a worker that comes back and leaves again begins a new one.
 */
export async function poolOfflineTriggers(database: BatonDatabase, now: Date): Promise<number> {
  const automations = await enabledOf(database.db, "work_pool_offline");
  if (automations.length === 0) return 0;
  // Pools and workers are few: read once a pass for every automation.
  const dark = await outages(database, now);
  let count = 0;
  if (fired.size > 10_000) fired.clear();
  for (const a of automations) {
    const { trigger } = a;
    const long = dark.filter((o) => (trigger.work_pools.length === 0 || trigger.work_pools.includes(o.name)) && now.getTime() - Date.parse(o.since) >= trigger.seconds * 1000);
    const rows = long.flatMap((o) => {
      const key = `pool_offline:${o.name}:${o.since}`;
      if (fired.has(`${a.row.id}:${key}`)) return [];
      const message = `work pool ${o.name} has had no online worker since ${o.since}, longer than ${trigger.seconds}s`;
      return [firing(a.row, key, "WORK_POOL_OFFLINE", eventFacts("WORK_POOL_OFFLINE", "No online worker", message, now), now)];
    });
    count += await insertFirings(database.db, rows);
    for (const row of rows) fired.add(`${a.row.id}:${row.event_key}`);
  }
  return count;
}
