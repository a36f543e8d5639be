import { STATE_NAMES, uuidv7, type NotifyState, type State } from "@baton/core";
import type { Kysely } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import type { Database } from "../db/schema.js";

/** The event a stored state is, for notification rules: Late is a SCHEDULED state by name. */
export function eventOf(state: Pick<State, "type" | "name">): NotifyState | null {
  if (state.type === "SCHEDULED") return state.name === STATE_NAMES.late ? "LATE" : null;
  return state.type === "FAILED" || state.type === "CRASHED" || state.type === "CANCELLED" || state.type === "COMPLETED" ? state.type : null;
}

/** How long this process trusts "no rule is enabled" before asking again: a rule made on another replica applies within this. */
const WATCHERS_TTL_MS = 2000;
const watchers = new WeakMap<BatonDatabase, { any: boolean; at: number }>();

/** A rule or automation was created, changed or deleted here: ask the database again at the next state change. */
export function watchersChanged(database: BatonDatabase): void {
  watchers.delete(database);
}

async function anyWatcher(database: BatonDatabase, trx: Kysely<Database>): Promise<boolean> {
  const cached = watchers.get(database);
  if (cached && Date.now() - cached.at < WATCHERS_TTL_MS) return cached.any;
  const row =
    (await trx.selectFrom("notification_rules").select("id").where("enabled", "=", 1).limit(1).executeTakeFirst()) ??
    (await trx.selectFrom("automations").select("id").where("enabled", "=", 1).where("trigger_type", "=", "state").limit(1).executeTakeFirst());
  watchers.set(database, { any: row !== undefined, at: Date.now() });
  return row !== undefined;
}

/**
 * Write the outbox rows of the watched states among `states`, inside the transaction that stores
 * them (the road calls this): committed together, or not at all. Nothing is written while no
 * rule or state automation is enabled, so a server without notifications pays one cached check per terminal state.
 */
export async function recordRunEvents(database: BatonDatabase, trx: Kysely<Database>, states: readonly { ownerId: string; state: State }[]): Promise<void> {
  const watched = states.flatMap(({ ownerId, state }) => {
    const event = eventOf(state);
    return event ? [{ id: uuidv7(), flow_run_id: ownerId, event, state_name: state.name, message: state.message ?? null, occurred: state.timestamp }] : [];
  });
  if (watched.length === 0 || !(await anyWatcher(database, trx))) return;
  await trx.insertInto("run_events").values(watched).execute();
}
