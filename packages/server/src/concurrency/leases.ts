import { randomUUID } from "node:crypto";
import type { ConcurrencyAcquireResult } from "@baton/core";
import type { Kysely } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import type { Database } from "../db/schema.js";
import { ConcurrencyLeaseGone, ConcurrencyLimitNotFound, ConcurrencyRequestInvalid } from "./errors.js";
import { decayedSlots, heldSlots, type LimitRow } from "./limits.js";

export interface AcquireInput {
  names: string[];
  slots: number;
  mode: "concurrency" | "rate_limit";
  lease_seconds: number;
  ignore_missing: boolean;
  flow_run_id?: string | undefined;
  task_run_id?: string | undefined;
}

const NOT_ACQUIRED = { acquired: false, lease_id: null, expires: null } as const;

/**
 * Takes `slots` of every named limit, all or none, in one transaction. On PostgreSQL the limit
 * rows are locked (in name order, so two callers never deadlock) while the slots are counted and
 * taken: two server replicas never grant the same slot. SQLite has one writer. Expired leases do
 * not count, so the slots of a run that died come back when its lease ends.
 */
export async function acquireSlots(database: BatonDatabase, input: AcquireInput, now: Date): Promise<ConcurrencyAcquireResult> {
  const names = [...new Set(input.names)].sort();
  return database.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom("concurrency_limits")
      .selectAll()
      .where("name", "in", names)
      .orderBy("name")
      .$if(database.kind === "postgresql", (q) => q.forUpdate())
      .execute();
    const missing = names.filter((n) => !rows.some((r) => r.name === n));
    if (missing.length > 0 && !input.ignore_missing) throw new ConcurrencyLimitNotFound(missing);
    const limits = rows.filter((r) => r.active);
    checkGrantable(limits, input);
    const held = await heldSlots(trx, limits.map((l) => l.id), now);
    for (const limit of limits) {
      const used = (held.get(limit.id) ?? 0) + decayedSlots(limit, now);
      if (used + input.slots > Number(limit.limit)) {
        if (input.flow_run_id) await recordWait(trx, input.flow_run_id, limit.name, now);
        return { ...NOT_ACQUIRED, blocked_by: limit.name, retry_after_seconds: retryAfter(limit, used + input.slots - Number(limit.limit)) };
      }
    }
    if (input.flow_run_id) await trx.deleteFrom("concurrency_waits").where("flow_run_id", "=", input.flow_run_id).execute();
    if (limits.length === 0) return { acquired: true, lease_id: null, expires: null, blocked_by: null, retry_after_seconds: null };
    if (input.mode === "rate_limit") {
      for (const limit of limits) {
        await trx.updateTable("concurrency_limits").set({ decaying_slots: decayedSlots(limit, now) + input.slots, decayed_at: now.toISOString() }).where("id", "=", limit.id).execute();
      }
      return { acquired: true, lease_id: null, expires: null, blocked_by: null, retry_after_seconds: null };
    }
    await trx.deleteFrom("concurrency_leases").where("limit_id", "in", limits.map((l) => l.id)).where("expires", "<=", now.toISOString()).execute();
    const id = randomUUID();
    const expires = new Date(now.getTime() + input.lease_seconds * 1000).toISOString();
    await trx
      .insertInto("concurrency_leases")
      .values(limits.map((l) => ({ id, limit_id: l.id, slots: input.slots, expires, flow_run_id: input.flow_run_id ?? null, task_run_id: input.task_run_id ?? null, created: now.toISOString() })))
      .execute();
    return { acquired: true, lease_id: id, expires, blocked_by: null, retry_after_seconds: null };
  });
}

function checkGrantable(limits: LimitRow[], input: AcquireInput): void {
  for (const limit of limits) {
    if (input.slots > Number(limit.limit)) {
      throw new ConcurrencyRequestInvalid(`ConcurrencyRequestInvalid: body.slots: ${input.slots} slots of limit "${limit.name}", which has ${limit.limit}, can never be granted; ask for fewer or raise it with baton concurrency-limit update ${limit.name} --limit ${input.slots}`, [
        { path: "body.slots", message: `more than the limit of ${limit.name} (${limit.limit})` },
      ]);
    }
    if (input.mode === "rate_limit" && Number(limit.slot_decay_per_second) <= 0) {
      throw new ConcurrencyRequestInvalid(`ConcurrencyRequestInvalid: limit "${limit.name}" has no slot decay, so slots rateLimit() takes would never come back; set one with baton concurrency-limit update ${limit.name} --slot-decay-per-second R, or use concurrency()`, [
        { path: "body.mode", message: `rate_limit needs a slot_decay_per_second on ${limit.name}` },
      ]);
    }
  }
}

/** When to ask again: when enough has decayed, or soon (a lease may be released any time). */
function retryAfter(limit: LimitRow, excess: number): number {
  const decay = Number(limit.slot_decay_per_second);
  const byDecay = decay > 0 ? excess / decay : Infinity;
  return Math.round(Math.min(Math.max(byDecay, 0.05), 1) * 1000) / 1000;
}

async function recordWait(trx: Kysely<Database>, flowRunId: string, limitName: string, now: Date): Promise<void> {
  const stamp = now.toISOString();
  await trx
    .insertInto("concurrency_waits")
    .values({ flow_run_id: flowRunId, limit_name: limitName, since: stamp, seen: stamp })
    .onConflict((oc) => oc.column("flow_run_id").doUpdateSet((eb) => ({ seen: stamp, limit_name: limitName, since: eb.ref("concurrency_waits.since") })))
    .execute();
}

export async function renewLease(db: Kysely<Database>, id: string, leaseSeconds: number, now: Date): Promise<{ id: string; expires: string }> {
  const expires = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
  const result = await db.updateTable("concurrency_leases").set({ expires }).where("id", "=", id).where("expires", ">", now.toISOString()).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    throw new ConcurrencyLeaseGone(`ConcurrencyLeaseGone: lease ${id} has ended (released, or not renewed before it expired) and its slots were given back; acquire them again`);
  }
  return { id, expires };
}

export async function releaseLease(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom("concurrency_leases").where("id", "=", id).execute();
}
