import { uuidv7, type ConcurrencyLimit, type Page } from "@baton/core";
import type { Kysely, Selectable } from "kysely";
import { decodeCursor, pageFrom } from "../db/pagination.js";
import type { ConcurrencyLimitTable, Database } from "../db/schema.js";
import { ConcurrencyLimitExists, ConcurrencyLimitNotFound } from "./errors.js";

export type LimitRow = Selectable<ConcurrencyLimitTable>;

/** What rateLimit() took and has not decayed yet, at `now`. */
export function decayedSlots(row: LimitRow, now: Date): number {
  if (!row.decayed_at || row.decaying_slots <= 0) return 0;
  const elapsed = Math.max(0, (now.getTime() - Date.parse(row.decayed_at)) / 1000);
  return Math.max(0, Number(row.decaying_slots) - Number(row.slot_decay_per_second) * elapsed);
}

/** Slots held by unexpired leases, per limit id. */
export async function heldSlots(db: Kysely<Database>, limitIds: string[], now: Date): Promise<Map<string, number>> {
  const held = new Map<string, number>();
  if (limitIds.length === 0) return held;
  const rows = await db
    .selectFrom("concurrency_leases")
    .select(["limit_id", (eb) => eb.fn.sum<string | number>("slots").as("slots")])
    .where("limit_id", "in", limitIds)
    .where("expires", ">", now.toISOString())
    .groupBy("limit_id")
    .execute();
  for (const row of rows) held.set(row.limit_id, Number(row.slots));
  return held;
}

function toLimit(row: LimitRow, held: number, now: Date): ConcurrencyLimit {
  return {
    id: row.id,
    name: row.name,
    limit: Number(row.limit),
    active: Boolean(row.active),
    slot_decay_per_second: Number(row.slot_decay_per_second),
    active_slots: Math.round((held + decayedSlots(row, now)) * 1000) / 1000,
    created: row.created,
    updated: row.updated,
  };
}

async function withUsage(db: Kysely<Database>, rows: LimitRow[], now: Date): Promise<ConcurrencyLimit[]> {
  const held = await heldSlots(db, rows.map((r) => r.id), now);
  return rows.map((r) => toLimit(r, held.get(r.id) ?? 0, now));
}

export async function createLimit(db: Kysely<Database>, input: { name: string; limit: number; slot_decay_per_second: number; active: boolean }, now: Date): Promise<ConcurrencyLimit> {
  const stamp = now.toISOString();
  const row = await db
    .insertInto("concurrency_limits")
    .values({ id: uuidv7(now.getTime()), name: input.name, limit: input.limit, active: input.active ? 1 : 0, slot_decay_per_second: input.slot_decay_per_second, decaying_slots: 0, decayed_at: null, created: stamp, updated: stamp })
    .onConflict((oc) => oc.column("name").doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new ConcurrencyLimitExists(`ConcurrencyLimitExists: concurrency limit "${input.name}" exists already; change it with baton concurrency-limit update ${input.name} --limit N`);
  return toLimit(row, 0, now);
}

export async function readLimitRow(db: Kysely<Database>, name: string): Promise<LimitRow> {
  const row = await db.selectFrom("concurrency_limits").selectAll().where("name", "=", name).executeTakeFirst();
  if (!row) throw new ConcurrencyLimitNotFound([name]);
  return row;
}

export async function readLimit(db: Kysely<Database>, name: string, now: Date): Promise<ConcurrencyLimit> {
  return (await withUsage(db, [await readLimitRow(db, name)], now))[0]!;
}

export async function listLimits(db: Kysely<Database>, query: { limit: number; cursor?: string | undefined }, now: Date): Promise<Page<ConcurrencyLimit>> {
  let q = db.selectFrom("concurrency_limits").selectAll();
  if (query.cursor) q = q.where("name", ">", decodeCursor(query.cursor, 1)[0]!);
  const rows = await q.orderBy("name", "asc").limit(query.limit + 1).execute();
  const page = pageFrom(rows, query.limit, (r) => r, (r) => [r.name]);
  return { items: await withUsage(db, page.items, now), next_cursor: page.next_cursor };
}

export async function updateLimit(db: Kysely<Database>, name: string, patch: { limit?: number | undefined; slot_decay_per_second?: number | undefined; active?: boolean | undefined }, now: Date): Promise<ConcurrencyLimit> {
  const before = await readLimitRow(db, name);
  // What has decayed so far is settled at the old rate before the new one applies.
  const decayed = decayedSlots(before, now);
  await db
    .updateTable("concurrency_limits")
    .set({
      ...(patch.limit !== undefined ? { limit: patch.limit } : {}),
      ...(patch.slot_decay_per_second !== undefined ? { slot_decay_per_second: patch.slot_decay_per_second } : {}),
      ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
      decaying_slots: decayed,
      decayed_at: now.toISOString(),
      updated: now.toISOString(),
    })
    .where("id", "=", before.id)
    .execute();
  return readLimit(db, name, now);
}

export async function deleteLimit(db: Kysely<Database>, name: string): Promise<void> {
  const row = await readLimitRow(db, name);
  await db.deleteFrom("concurrency_leases").where("limit_id", "=", row.id).execute();
  await db.deleteFrom("concurrency_limits").where("id", "=", row.id).execute();
}
