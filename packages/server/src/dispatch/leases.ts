import { uuidv7, type State } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import { fromJson } from "../db/rows.js";
import { readFlowRunRow, saveFlowRunState } from "../flow-runs/repository.js";
import { announceRuns, type DispatchNotifier } from "./notifier.js";

const BATCH = 200;

/**
 * A PENDING run whose lease ended was claimed by a worker that never started it (the worker
 * died, or lost the server): it goes back to SCHEDULED, due at its first due time, for any worker to claim, so
 * no run stays Pending forever. Keeps worker_name and lease_expiration, which `why` reports.
 * Returns the pools that got runs back.
 */
export async function expireLeases(database: BatonDatabase, now: Date = new Date()): Promise<string[]> {
  const pools = new Set<string>();
  for (;;) {
    const expired = await database.db
      .selectFrom("flow_runs")
      .select("id")
      .where("state_type", "=", "PENDING")
      .where("lease_expiration", "<", now.toISOString())
      .limit(BATCH)
      .execute();
    for (const { id } of expired) {
      const pool = await requeue(database, id, now);
      if (pool) pools.add(pool);
    }
    if (expired.length < BATCH) return [...pools];
  }
}

async function requeue(database: BatonDatabase, id: string, now: Date): Promise<string | null> {
  return database.transaction(async (trx) => {
    const row = await readFlowRunRow(trx, id, { forUpdate: database.kind === "postgresql" });
    if (row.state_type !== "PENDING" || !row.lease_expiration || row.lease_expiration >= now.toISOString()) return null;
    const state: State = {
      id: uuidv7(now.getTime()),
      type: "SCHEDULED",
      name: "Scheduled",
      message: `worker "${row.worker_name}" claimed this run but did not start it before its lease ended at ${row.lease_expiration}; it is back in the queue for any worker of the pool`,
      timestamp: now.toISOString(),
      // Its first due time: it keeps its place at the front of the queue.
      state_details: { scheduled_time: row.expected_start_time ?? now.toISOString() },
      data: null,
    };
    await saveFlowRunState(database, trx, row, state, now);
    await announceRuns(database, trx, [row.work_pool_name]);
    return row.work_pool_name;
  });
}

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

/**
 * A run of a pool that is Scheduled again: waiting claims on this replica are woken at once, and
 * on PostgreSQL every replica's through NOTIFY.
 */
export async function wakePoolOf(database: BatonDatabase, id: string, notifier: Pick<DispatchNotifier, "wake"> | undefined): Promise<void> {
  const row = await readFlowRunRow(database.db, id);
  if (!row.work_pool_name) return;
  notifier?.wake(row.work_pool_name);
  await announceRuns(database, database.db, [row.work_pool_name]);
}
