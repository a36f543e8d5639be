import { uuidv7, type Worker, type WorkerHeartbeatSchema } from "@baton/core";
import type { Kysely } from "kysely";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import type { Database } from "../db/schema.js";
import { readWorkPoolRow } from "./repository.js";
import { toWorker } from "./rows.js";

/** A worker says it is alive; the first heartbeat registers it. */
export async function workerHeartbeat(database: BatonDatabase, poolName: string, input: z.output<typeof WorkerHeartbeatSchema>, now: Date): Promise<Worker> {
  const pool = await readWorkPoolRow(database.db, poolName);
  const stamp = now.toISOString();
  const row = await database.db
    .insertInto("workers")
    .values({ id: uuidv7(now.getTime()), work_pool_id: pool.id, name: input.name, last_heartbeat_time: stamp, heartbeat_interval_seconds: input.heartbeat_interval_seconds, created: stamp })
    .onConflict((oc) => oc.columns(["work_pool_id", "name"]).doUpdateSet({ last_heartbeat_time: stamp, heartbeat_interval_seconds: input.heartbeat_interval_seconds }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toWorker(row, pool.name, now);
}

export async function listWorkers(db: Kysely<Database>, poolName: string, now: Date): Promise<{ items: Worker[] }> {
  const pool = await readWorkPoolRow(db, poolName);
  const rows = await db.selectFrom("workers").selectAll().where("work_pool_id", "=", pool.id).orderBy("name", "asc").execute();
  return { items: rows.map((row) => toWorker(row, pool.name, now)) };
}
