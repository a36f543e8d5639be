import { STATE_NAMES, uuidv7, type State } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import { fromJson } from "../db/rows.js";
import { readFlowRunRow, saveFlowRunState } from "../flow-runs/repository.js";

const BATCH = 200;

/**
 * A SCHEDULED flow run still waiting `lateAfterSeconds` after its scheduled time is marked
 * "Late" (still SCHEDULED: it runs as soon as something picks it up). Returns how many.
 */
export async function markLateRuns(database: BatonDatabase, options: { lateAfterSeconds: number; now?: Date }): Promise<number> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.lateAfterSeconds * 1000).toISOString();
  let marked = 0;
  for (;;) {
    const due = await database.db
      .selectFrom("flow_runs")
      .select("id")
      .where("state_type", "=", "SCHEDULED")
      .where("next_scheduled_time", "<", cutoff)
      .where("state_name", "!=", STATE_NAMES.late)
      .limit(BATCH)
      .execute();
    for (const { id } of due) if (await markLate(database, id, cutoff, now)) marked += 1;
    if (due.length < BATCH) return marked;
  }
}

async function markLate(database: BatonDatabase, id: string, cutoff: string, now: Date): Promise<boolean> {
  return database.transaction(async (trx) => {
    const row = await readFlowRunRow(trx, id, { forUpdate: database.kind === "postgresql" });
    if (row.state_type !== "SCHEDULED" || row.state_name === STATE_NAMES.late || !row.next_scheduled_time || row.next_scheduled_time >= cutoff) return false;
    const current = fromJson<State>(row.state);
    const late: State = {
      id: uuidv7(now.getTime()),
      type: "SCHEDULED",
      name: STATE_NAMES.late,
      message: `the run was due at ${row.next_scheduled_time} and has not started yet`,
      timestamp: now.toISOString(),
      state_details: current.state_details,
      data: null,
    };
    await saveFlowRunState(database, trx, row, late, now);
    return true;
  });
}
