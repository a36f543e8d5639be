import type { State } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import { fromJson } from "../db/rows.js";
import { readFlowRunRow } from "./repository.js";

/**
 * A heartbeat for a PENDING run (its worker says the run's process is alive: pulling an image,
 * cloning a big repository) renews its lease for as long as the claim gave it, counted from
 * now, so a slow start is not mistaken for a dead worker. Only a lease that has not ended:
 * a run already put back in the queue stays there (the update re-checks the state, so it never
 * undoes a requeue that committed first). Returns the new end, or null when nothing changed.
 */
export async function extendLease(database: BatonDatabase, id: string, now: Date): Promise<string | null> {
  const row = await readFlowRunRow(database.db, id);
  if (row.state_type !== "PENDING" || !row.lease_expiration || row.lease_expiration < now.toISOString()) return null;
  const claimedAt = Date.parse(fromJson<State>(row.state).timestamp);
  const span = Date.parse(row.lease_expiration) - claimedAt;
  if (!(span > 0)) return null;
  const until = new Date(now.getTime() + span).toISOString();
  if (until <= row.lease_expiration) return null;
  const updated = await database.db
    .updateTable("flow_runs")
    .set({ lease_expiration: until })
    .where("id", "=", id)
    .where("state_type", "=", "PENDING")
    .where("state_id", "=", row.state_id)
    .where("lease_expiration", ">=", now.toISOString())
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0 ? until : null;
}
