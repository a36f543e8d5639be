import { uuidv7, type State } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import { readFlowRunRow } from "../flow-runs/repository.js";
import { travel } from "../orchestration/road.js";

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
  return travel(database, async (road) => {
    const row = await readFlowRunRow(road.trx, id, { forUpdate: database.kind === "postgresql" });
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
    // The road ends the claim with its lease (the run tokens it made stop working) and wakes the pool's claims.
    const { stored } = await road.one({ row, proposed: state, cause: "lease-expiry" }, now);
    return stored ? row.work_pool_name : null;
  });
}
