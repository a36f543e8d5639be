import { uuidv7, type WorkQueue, type WorkQueueCreateSchema, type WorkQueueUpdateSchema } from "@baton/core";
import type { Kysely } from "kysely";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import type { Database } from "../db/schema.js";
import { DefaultQueueProtected, WorkQueueExists, WorkQueueNotFound } from "./errors.js";
import { readWorkPoolRow } from "./repository.js";
import { DEFAULT_QUEUE, toWorkQueue, type WorkQueueRow } from "./rows.js";

export async function listQueueRows(db: Kysely<Database>, poolId: string): Promise<WorkQueueRow[]> {
  return db.selectFrom("work_queues").selectAll().where("work_pool_id", "=", poolId).orderBy("priority", "asc").orderBy("name", "asc").execute();
}

export async function listWorkQueues(db: Kysely<Database>, poolName: string): Promise<{ items: WorkQueue[] }> {
  const pool = await readWorkPoolRow(db, poolName);
  return { items: (await listQueueRows(db, pool.id)).map((row) => toWorkQueue(row, pool.name)) };
}

async function readQueueRow(db: Kysely<Database>, pool: { id: string; name: string }, queue: string): Promise<WorkQueueRow> {
  const row = await db.selectFrom("work_queues").selectAll().where("work_pool_id", "=", pool.id).where("name", "=", queue).executeTakeFirst();
  if (row) return row;
  throw new WorkQueueNotFound(pool.name, queue, (await listQueueRows(db, pool.id)).map((q) => q.name));
}

export async function createWorkQueue(database: BatonDatabase, poolName: string, input: z.output<typeof WorkQueueCreateSchema>, now: Date): Promise<WorkQueue> {
  return database.transaction(async (trx) => {
    const pool = await readWorkPoolRow(trx, poolName);
    const stamp = now.toISOString();
    const row: WorkQueueRow = {
      id: uuidv7(now.getTime()),
      work_pool_id: pool.id,
      name: input.name,
      description: input.description ?? null,
      priority: input.priority,
      concurrency_limit: input.concurrency_limit ?? null,
      paused: input.paused ? 1 : 0,
      created: stamp,
      updated: stamp,
    };
    const inserted = await trx.insertInto("work_queues").values(row).onConflict((oc) => oc.columns(["work_pool_id", "name"]).doNothing()).executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw new WorkQueueExists(pool.name, input.name);
    return toWorkQueue(row, pool.name);
  });
}

/**
 * The queue a deployment names, made on first use (after the pool's other queues in
 * priority), so `baton deploy` with a new queue name needs no separate step.
 */
export async function ensureWorkQueue(trx: Kysely<Database>, pool: { id: string }, queue: string, now: Date): Promise<void> {
  const exists = await trx.selectFrom("work_queues").select("id").where("work_pool_id", "=", pool.id).where("name", "=", queue).executeTakeFirst();
  if (exists) return;
  const last = await trx.selectFrom("work_queues").select((eb) => eb.fn.max("priority").as("priority")).where("work_pool_id", "=", pool.id).executeTakeFirst();
  const stamp = now.toISOString();
  await trx
    .insertInto("work_queues")
    .values({ id: uuidv7(now.getTime()), work_pool_id: pool.id, name: queue, description: null, priority: Number(last?.priority ?? 0) + 1, concurrency_limit: null, paused: 0, created: stamp, updated: stamp })
    .onConflict((oc) => oc.columns(["work_pool_id", "name"]).doNothing())
    .execute();
}

export async function updateWorkQueue(database: BatonDatabase, poolName: string, queue: string, input: z.output<typeof WorkQueueUpdateSchema>, now: Date): Promise<WorkQueue> {
  return database.transaction(async (trx) => {
    const pool = await readWorkPoolRow(trx, poolName);
    const row = await readQueueRow(trx, pool, queue);
    const changes = {
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.priority !== undefined ? { priority: input.priority } : {}),
      ...(input.concurrency_limit !== undefined ? { concurrency_limit: input.concurrency_limit } : {}),
      ...(input.paused !== undefined ? { paused: input.paused ? 1 : 0 } : {}),
      updated: now.toISOString(),
    };
    await trx.updateTable("work_queues").set(changes).where("id", "=", row.id).execute();
    return toWorkQueue({ ...row, ...changes }, pool.name);
  });
}

/** Its waiting runs move to the pool's default queue rather than wait for a queue that is gone. */
export async function deleteWorkQueue(database: BatonDatabase, poolName: string, queue: string): Promise<void> {
  await database.transaction(async (trx) => {
    const pool = await readWorkPoolRow(trx, poolName);
    if (queue === DEFAULT_QUEUE) throw new DefaultQueueProtected(pool.name);
    const row = await readQueueRow(trx, pool, queue);
    await trx.deleteFrom("work_queues").where("id", "=", row.id).execute();
    await trx
      .updateTable("flow_runs")
      .set({ work_queue_name: DEFAULT_QUEUE })
      .where("work_pool_name", "=", pool.name)
      .where("work_queue_name", "=", queue)
      .where("state_type", "=", "SCHEDULED")
      .execute();
  });
}
