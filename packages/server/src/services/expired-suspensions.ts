import { uuidv7, type State } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import { fromJson } from "../db/rows.js";
import { readFlowRunRow } from "../flow-runs/repository.js";
import { travel } from "../orchestration/road.js";

/** A suspended run (suspendFlowRun) nobody resumed in time: no process waits to fail it, so this does. */
const expired = (state: State, now: Date): boolean =>
  state.type === "PAUSED" && state.state_details.pause_reschedule === true && state.state_details.pause_timeout !== undefined && Date.parse(state.state_details.pause_timeout) <= now.getTime();

/**
 * Fails the suspended runs whose timeout has passed, with what happened and what to do. Paused
 * runs are few (a person answers each), so they are read whole and checked here. Returns how many.
 */
export async function failExpiredSuspensions(database: BatonDatabase, now = new Date()): Promise<number> {
  const paused = await database.db.selectFrom("flow_runs").select(["id", "state"]).where("state_type", "=", "PAUSED").execute();
  let failed = 0;
  for (const { id, state } of paused) {
    if (!expired(fromJson<State>(state), now)) continue;
    const done = await travel(database, async (road) => {
      const row = await readFlowRunRow(road.trx, id, { forUpdate: database.kind === "postgresql" });
      const current = fromJson<State>(row.state);
      // Resumed or cancelled since the read: look again under the lock.
      if (!expired(current, now)) return false;
      const message =
        `PauseTimeout: flow run ${row.name} was suspended (suspendFlowRun, key ${current.state_details.pause_key ?? "?"}) and not resumed by ${current.state_details.pause_timeout}; ` +
        `run its deployment again (baton deployment run), or give suspendFlowRun a longer timeout`;
      const proposed: State = { id: uuidv7(now.getTime()), type: "FAILED", name: "Failed", message, timestamp: now.toISOString(), state_details: {}, data: null };
      return (await road.one({ row, proposed, cause: "pause-timeout" }, now)).decision.status === "ACCEPT";
    });
    if (done) failed += 1;
  }
  return failed;
}
