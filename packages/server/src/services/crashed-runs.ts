import { uuidv7, type State } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";
import { fromJson } from "../db/rows.js";
import type { FlowRunRow } from "../flow-runs/row.js";
import { readFlowRunRow } from "../flow-runs/repository.js";
import { travel } from "../orchestration/road.js";
import { crashOpenTaskRuns } from "../task-runs/repository.js";

const BATCH = 200;

/**
 * A run whose process must be alive: RUNNING, or Paused by pauseFlowRun (its process waits for
 * the resume and heartbeats all along). A suspended run (suspendFlowRun: pause_reschedule) has no
 * process on purpose: a worker starts one when it is resumed.
 */
function waitsOnItsProcess(row: Pick<FlowRunRow, "state_type" | "state">): boolean {
  if (row.state_type === "RUNNING") return true;
  return row.state_type === "PAUSED" && fromJson<State>(row.state).state_details.pause_reschedule !== true;
}

/**
 * A flow run whose process must be alive (above) with no sign of life (heartbeat, or its last
 * state change when it never heartbeat) for `heartbeatTimeoutSeconds` is CRASHED, and so are its
 * task runs that had not ended. Returns how many runs it marked.
 */
export async function markCrashedRuns(database: BatonDatabase, options: { heartbeatTimeoutSeconds: number; now?: Date }): Promise<number> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.heartbeatTimeoutSeconds * 1000).toISOString();
  const silent = () =>
    database.db
      .selectFrom("flow_runs")
      .where("updated", "<", cutoff)
      .where((eb) => eb.or([eb("heartbeat_time", "is", null), eb("heartbeat_time", "<", cutoff)]));
  let marked = 0;
  for (;;) {
    const stale = await silent().select("id").where("state_type", "=", "RUNNING").limit(BATCH).execute();
    for (const { id } of stale) if (await crashRun(database, id, cutoff, now)) marked += 1;
    if (stale.length < BATCH) break;
  }
  // Paused runs are few (a person answers each): read whole, suspended ones left out here.
  const paused = await silent().select(["id", "state_type", "state"]).where("state_type", "=", "PAUSED").execute();
  for (const row of paused) if (waitsOnItsProcess(row) && (await crashRun(database, row.id, cutoff, now))) marked += 1;
  return marked;
}

async function crashRun(database: BatonDatabase, id: string, cutoff: string, now: Date): Promise<boolean> {
  return travel(database, async (road) => {
    const row = await readFlowRunRow(road.trx, id, { forUpdate: database.kind === "postgresql" });
    // A heartbeat or a new state may have arrived since the scan: look again under the lock.
    const lastSign = row.heartbeat_time && row.heartbeat_time > row.updated ? row.heartbeat_time : row.updated;
    if (!waitsOnItsProcess(row) || lastSign >= cutoff) return false;
    const silentSeconds = Math.round((now.getTime() - Date.parse(lastSign)) / 1000);
    const message =
      row.state_type === "PAUSED"
        ? `the process running this flow died while the run was paused (pauseFlowRun waits in its process, heartbeating): no heartbeat was received for ${silentSeconds} seconds, ` +
          `so nothing is left to resume; retry the run, or use suspendFlowRun to wait without a process; its task runs that had not ended are Crashed too`
        : `no heartbeat was received for ${silentSeconds} seconds: the process running this flow died or lost its connection to the server; ` +
          `its task runs that had not ended are Crashed too`;
    const crashed: State = { id: uuidv7(now.getTime()), type: "CRASHED", name: "Crashed", message, timestamp: now.toISOString(), state_details: {}, data: null };
    const { decision } = await road.one({ row, proposed: crashed, cause: "crash" }, now);
    if (decision.status !== "ACCEPT") return false;
    await crashOpenTaskRuns(database, road.trx, id, `the flow run crashed: ${message}`, now);
    return true;
  });
}
