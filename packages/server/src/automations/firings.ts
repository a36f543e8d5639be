import { uuidv7, type AutomationAction, type AutomationTriggerSchema } from "@baton/core";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { fromJson, toJson } from "../db/rows.js";
import type { AutomationFiringTable, AutomationTable, Database } from "../db/schema.js";
import type { MessageFacts } from "../notifications/message.js";

type AutomationTrigger = z.output<typeof AutomationTriggerSchema>;

export interface Loaded<T extends AutomationTrigger["type"]> {
  row: AutomationTable;
  trigger: Extract<AutomationTrigger, { type: T }>;
  actions: AutomationAction[];
}

/** The enabled automations of one trigger type, in name order (each pass looks at them alike). */
export async function enabledOf<T extends AutomationTrigger["type"]>(db: Kysely<Database>, type: T): Promise<Array<Loaded<T>>> {
  const rows = await db.selectFrom("automations").selectAll().where("enabled", "=", 1).where("trigger_type", "=", type).orderBy("name").execute();
  return rows.map((row) => ({ row, trigger: fromJson(row.trigger), actions: fromJson(row.actions) }));
}

export function firing(a: AutomationTable, eventKey: string, event: string, facts: MessageFacts, now: Date): AutomationFiringTable {
  const stamp = now.toISOString();
  return { id: uuidv7(now.getTime()), automation_id: a.id, automation_name: a.name, event_key: eventKey, flow_run_id: facts.flow_run?.id ?? null, event, facts: toJson(facts), status: "pending", attempts: 0, next_attempt_at: stamp, claimed_until: null, last_error: null, created: stamp, done_at: null };
}

/**
 * Insert firings; one per (automation, event key) whoever inserts it first: an event seen twice,
 * or by two replicas, fires once. Returns how many were new.
 */
export async function insertFirings(db: Kysely<Database>, rows: AutomationFiringTable[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += 100) {
    const result = await db.insertInto("automation_firings").values(rows.slice(i, i + 100)).onConflict((oc) => oc.columns(["automation_id", "event_key"]).doNothing()).executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

/** What a firing about no run in particular says (the deadline passed, the pool went dark). */
export function eventFacts(event: string, name: string, message: string, at: Date): MessageFacts {
  return { event, flow_run: null, state: { type: event, name, message, timestamp: at.toISOString() }, url: null };
}
