import type { Page, State } from "@baton/core";
import type { Kysely } from "kysely";
import { decodeCursor, pageFrom } from "../db/pagination.js";
import { stateColumns, stateValues } from "../db/columns.js";
import type { BatonDatabase } from "../db/open.js";
import { stateFromRow, stateToRow } from "../db/rows.js";
import type { Database } from "../db/schema.js";

/** Flow runs and task runs keep their state history in twin tables. */
export type StateHistory = { table: "flow_run_states"; owner: "flow_run_id" } | { table: "task_run_states"; owner: "task_run_id" };
export const FLOW_RUN_STATES: StateHistory = { table: "flow_run_states", owner: "flow_run_id" };
export const TASK_RUN_STATES: StateHistory = { table: "task_run_states", owner: "task_run_id" };

// Both tables have the same columns but different owner names; Kysely cannot type a table
// chosen at run time, so the list below goes through this loosely typed view.
type AnyStates = Kysely<{ states: Record<string, unknown> }>;

/** Append states to the history, inside `database.transaction` (`trx`). */
export async function insertStates(database: BatonDatabase, trx: Kysely<Database>, history: StateHistory, rows: readonly { ownerId: string; state: State }[]): Promise<void> {
  await database.bulk.insert(trx, history.table, stateColumns(history.owner), rows.map(({ ownerId, state }) => stateValues(ownerId, stateToRow(state))));
}

/** A run's states, oldest first. */
export async function listStates(db: Kysely<Database>, history: StateHistory, ownerId: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<State>> {
  const loose = db as unknown as AnyStates;
  let query = loose
    .selectFrom(history.table as "states")
    .select(["id", "type", "name", "message", "timestamp", "state_details", "data"])
    .where(history.owner, "=", ownerId);
  if (page.cursor) {
    const [timestamp, id] = decodeCursor(page.cursor, 2) as [string, string];
    query = query.where((eb) => eb.or([eb("timestamp", ">", timestamp), eb.and([eb("timestamp", "=", timestamp), eb("id", ">", id)])]));
  }
  const rows = await query.orderBy("timestamp", "asc").orderBy("id", "asc").limit(page.limit + 1).execute();
  return pageFrom(
    rows as unknown as Parameters<typeof stateFromRow>[0][],
    page.limit,
    stateFromRow,
    (row) => [row.timestamp, row.id],
  );
}
