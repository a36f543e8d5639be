import { uuidv7, type NotificationDelivery, type Page } from "@baton/core";
import type { Kysely } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import { decodeCursor, pageFrom } from "../db/pagination.js";
import { fromJson, toJson } from "../db/rows.js";
import type { Database, NotificationDeliveryTable, RunEventTable } from "../db/schema.js";
import { factsOf, matches, messageOf, runFacts, type Message, type MessageFacts, type RunFacts } from "./message.js";
import { enabledRules, type LoadedRule } from "./rules.js";

const EVENTS_PER_PASS = 200;

/** Another reader of the outbox's events (the automations), called in the transaction that takes them. */
export type EventConsumer = (trx: Kysely<Database>, events: readonly RunEventTable[], runs: ReadonlyMap<string, RunFacts>, now: Date) => Promise<void>;

/**
 * Turn outbox events into deliveries, one per matching rule, and delete the events: one
 * transaction, so an event is either still waiting or has all its deliveries. On PostgreSQL the
 * events are locked and those another replica holds skipped; the unique (event, rule) makes a
 * repeat harmless anyway. Returns how many events were taken.
 */
export async function fanOut(database: BatonDatabase, key: Buffer, uiUrl: string | undefined, now: Date, consumers: readonly EventConsumer[] = []): Promise<number> {
  return database.transaction(async (trx) => {
    const events = await trx
      .selectFrom("run_events")
      .selectAll()
      .orderBy("id")
      .limit(EVENTS_PER_PASS)
      .$if(database.kind === "postgresql", (q) => q.forUpdate().skipLocked())
      .execute();
    if (events.length === 0) return 0;
    const rules = await enabledRules(trx, key);
    const runs = await runFacts(trx, events.map((e) => e.flow_run_id));
    const rows: NotificationDeliveryTable[] = [];
    for (const event of events) {
      const run = runs.get(event.flow_run_id);
      if (!run) continue; // deleted since
      for (const rule of rules) {
        if (!rule.states.includes(event.event as never) || !matches(rule.match, run)) continue;
        rows.push(deliveryRow(rule, event.id, event.event, run.id, messageOf(rule, factsOf(event, run, uiUrl)), now));
      }
    }
    for (let i = 0; i < rows.length; i += 100) {
      await trx.insertInto("notification_deliveries").values(rows.slice(i, i + 100)).onConflict((oc) => oc.columns(["event_id", "rule_id"]).doNothing()).execute();
    }
    for (const consume of consumers) await consume(trx, events, runs, now);
    await trx.deleteFrom("run_events").where("id", "in", events.map((e) => e.id)).execute();
    return events.length;
  });
}

function deliveryRow(rule: LoadedRule, eventId: string, event: string, flowRunId: string | null, message: Message, now: Date): NotificationDeliveryTable {
  const stamp = now.toISOString();
  return {
    id: uuidv7(now.getTime()),
    event_id: eventId,
    rule_id: rule.id,
    rule_name: rule.name,
    target_type: rule.target.type,
    flow_run_id: flowRunId,
    event,
    payload: toJson(message),
    status: "pending",
    attempts: 0,
    next_attempt_at: stamp,
    claimed_until: null,
    last_error: null,
    delivered_at: null,
    created: stamp,
  };
}

/** A test message for `baton notification test`: a delivery like any other, about no run. */
export async function queueTest(db: Kysely<Database>, rule: LoadedRule, uiUrl: string | undefined, now: Date): Promise<NotificationDelivery> {
  const facts: MessageFacts = {
    event: "TEST",
    flow_run: null,
    state: { type: "TEST", name: "Test", message: `a test of notification rule "${rule.name}"`, timestamp: now.toISOString() },
    url: uiUrl ?? null,
  };
  return queueMessage(db, rule, facts, uuidv7(now.getTime()), now);
}

/** One message through a rule's target (a test, an automation's notify action); the same `eventId` twice queues it once. */
export async function queueMessage(db: Kysely<Database>, rule: LoadedRule, facts: MessageFacts, eventId: string, now: Date): Promise<NotificationDelivery> {
  const row = deliveryRow(rule, eventId, facts.event, facts.flow_run?.id ?? null, messageOf(rule, facts), now);
  await db.insertInto("notification_deliveries").values(row).onConflict((oc) => oc.columns(["event_id", "rule_id"]).doNothing()).execute();
  return toDelivery(row);
}

/** A delivery taken for sending. */
export type Claimed = Pick<NotificationDeliveryTable, "id" | "rule_id" | "payload" | "attempts">;

/**
 * Take up to `limit` deliveries that are due, under a lease of `leaseSeconds`: a replica that dies
 * mid-send loses them when the lease ends and another sends them again (at least once). One
 * statement; on PostgreSQL the rows another replica is taking are skipped, never sent twice at once.
 */
export async function claimDue(database: BatonDatabase, now: Date, leaseSeconds: number, limit = 20): Promise<Claimed[]> {
  const stamp = now.toISOString();
  const until = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
  const db = database.db;
  const due = db
    .selectFrom("notification_deliveries")
    .select("id")
    .where("status", "=", "pending")
    .where("next_attempt_at", "<=", stamp)
    .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", stamp)]))
    .orderBy("next_attempt_at")
    .limit(limit)
    .$if(database.kind === "postgresql", (q) => q.forUpdate().skipLocked());
  return db
    .updateTable("notification_deliveries")
    .set((eb) => ({ claimed_until: until, attempts: eb("attempts", "+", 1) }))
    .where("id", "in", due)
    .returning(["id", "rule_id", "payload", "attempts"])
    .execute();
}

/** Backoff after the nth failed attempt: base, 2 x base, 4 x base, ... at most an hour. */
export function backoffSeconds(attempts: number, baseSeconds: number): number {
  return Math.min(3600, baseSeconds * 2 ** Math.max(0, attempts - 1));
}

export async function recordDelivered(db: Kysely<Database>, id: string, now: Date): Promise<void> {
  await db.updateTable("notification_deliveries").set({ status: "delivered", delivered_at: now.toISOString(), claimed_until: null, next_attempt_at: null, last_error: null }).where("id", "=", id).execute();
}

/** A failed attempt: tried again after the backoff, or given up after `maxAttempts`. */
export async function recordFailed(db: Kysely<Database>, claimed: Claimed, error: string, now: Date, retry: { baseSeconds: number; maxAttempts: number }): Promise<void> {
  const giveUp = claimed.attempts >= retry.maxAttempts;
  const next = giveUp ? null : new Date(now.getTime() + backoffSeconds(claimed.attempts, retry.baseSeconds) * 1000).toISOString();
  await db
    .updateTable("notification_deliveries")
    .set({ status: giveUp ? "failed" : "pending", next_attempt_at: next, claimed_until: null, last_error: error.slice(0, 2000) })
    .where("id", "=", claimed.id)
    .execute();
}

export const messageFrom = (claimed: Claimed): Message => fromJson<Message>(claimed.payload);

export function toDelivery(row: NotificationDeliveryTable): NotificationDelivery {
  return {
    id: row.id,
    rule_id: row.rule_id,
    rule_name: row.rule_name,
    target_type: row.target_type,
    flow_run_id: row.flow_run_id,
    event: row.event,
    status: row.status as NotificationDelivery["status"],
    attempts: row.attempts,
    next_attempt_at: row.next_attempt_at,
    last_error: row.last_error,
    delivered_at: row.delivered_at,
    created: row.created,
  };
}

export async function listDeliveries(
  db: Kysely<Database>,
  query: { limit: number; cursor?: string | undefined; rule?: string | undefined; status?: string | undefined; flow_run_id?: string | undefined },
): Promise<Page<NotificationDelivery>> {
  let q = db.selectFrom("notification_deliveries").selectAll();
  if (query.rule) q = q.where("rule_name", "=", query.rule);
  if (query.status) q = q.where("status", "=", query.status);
  if (query.flow_run_id) q = q.where("flow_run_id", "=", query.flow_run_id);
  if (query.cursor) {
    const [created, id] = decodeCursor(query.cursor, 2) as [string, string];
    q = q.where((eb) => eb.or([eb("created", "<", created), eb.and([eb("created", "=", created), eb("id", "<", id)])]));
  }
  const rows = await q.orderBy("created", "desc").orderBy("id", "desc").limit(query.limit + 1).execute();
  return pageFrom(rows, query.limit, toDelivery, (r) => [r.created, r.id]);
}

/** How long the delivery log keeps a delivered or failed message. */
export const LOG_KEEP_DAYS = 30;

/** Delete delivered and failed deliveries made before `before` (pending ones stay, however old). */
export async function pruneDeliveries(db: Kysely<Database>, before: Date): Promise<void> {
  await db.deleteFrom("notification_deliveries").where("created", "<", before.toISOString()).where("status", "<>", "pending").execute();
}
