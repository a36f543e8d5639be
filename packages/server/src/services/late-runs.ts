import { STATE_NAMES, uuidv7, type State } from "@baton/core";
import { sql } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import { fromJson } from "../db/rows.js";
import { travel, type FlowRunTransition, type RoadRow } from "../orchestration/road.js";
import { yieldToEventLoop } from "./yield.js";

/** Runs marked per transaction: a bounded hold of SQLite's write lock. */
const BATCH = 250;

/**
 * The runs of a batch: SCHEDULED, not yet Late, due before `cutoff`. It reads the partial index
 * `ix_flow_runs_not_late` (0012), which holds only those runs, so a backlog of Late runs is never
 * read; SQLite is told so (INDEXED BY: without statistics it may pick the state index), and the
 * conditions are literals so that PostgreSQL sees they imply the index's. PostgreSQL locks the
 * rows and skips those a claim or another replica holds.
 */
export function lateCandidates(kind: BatonDatabase["kind"], cutoff: string) {
  const from = kind === "sqlite" ? sql`flow_runs indexed by ix_flow_runs_not_late` : sql`flow_runs`;
  const lock = kind === "postgresql" ? sql`for no key update skip locked` : sql``;
  return sql<LateCandidate>`select id, created, state, next_scheduled_time, run_count, expected_start_time, start_time, end_time,
    work_pool_name, empirical_policy, worker_name, lease_expiration, claim_id, claim_key_id from ${from}
    where state_type = 'SCHEDULED' and state_name <> ${sql.lit(STATE_NAMES.late)} and next_scheduled_time < ${cutoff} limit ${sql.lit(BATCH)} ${lock}`;
}

type LateCandidate = RoadRow & { next_scheduled_time: string | null };

/**
 * A SCHEDULED flow run still waiting `lateAfterSeconds` after its scheduled time is marked
 * "Late" (still SCHEDULED: it runs as soon as something picks it up). A batch is one
 * transaction: one select (locking on PostgreSQL, skipping runs a worker is claiming), one
 * multi-row insert of the Late states and one set-based update of the runs. Returns how many.
 */
export async function markLateRuns(database: BatonDatabase, options: { lateAfterSeconds: number; now?: Date }): Promise<number> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.lateAfterSeconds * 1000).toISOString();
  let marked = 0;
  for (;;) {
    const count = await travel(database, async (road) => {
      const due = (await lateCandidates(database.kind, cutoff).execute(road.trx)).rows;
      // One batch on the road: one multi-row insert of the Late states, one set-based update.
      const transitions = due.map((row): FlowRunTransition => {
        const late: State = {
          id: uuidv7(now.getTime()),
          type: "SCHEDULED",
          name: STATE_NAMES.late,
          message: `the run was due at ${row.next_scheduled_time} and has not started yet`,
          timestamp: now.toISOString(),
          state_details: fromJson<State>(row.state).state_details,
          data: null,
        };
        return { row, proposed: late, cause: "late" };
      });
      await road.apply(transitions, now);
      return due.length;
    });
    marked += count;
    if (count < BATCH) return marked;
    await yieldToEventLoop();
  }
}
