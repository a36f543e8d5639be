// Seed a SQLite database with flow runs spread over the last days, straight through the
// server's own database layer (migrations included): 100,000 runs through the API would take
// longer than the measurement. Each run has its current state columns and one history row.
import { randomBytes } from "node:crypto";
import { uuidv7 } from "@baton/core";
import { openDatabase } from "../../packages/server/dist/db/open.js";

const STATES = [
  ["COMPLETED", "Completed", 70], ["FAILED", "Failed", 8], ["CRASHED", "Crashed", 2], ["CANCELLED", "Cancelled", 3],
  ["RUNNING", "Running", 2], ["SCHEDULED", "Scheduled", 10], ["SCHEDULED", "Late", 2], ["PENDING", "Pending", 3],
];
const TOTAL_WEIGHT = STATES.reduce((sum, [, , w]) => sum + w, 0);
const pick = (r) => {
  let x = r * TOTAL_WEIGHT;
  for (const s of STATES) if ((x -= s[2]) < 0) return s;
  return STATES[0];
};

export async function seed(url, runs, { days = 7, flows = 20 } = {}) {
  const database = await openDatabase(url);
  const now = Date.now();
  const flowRows = Array.from({ length: flows }, (_, i) => ({ id: uuidv7(now - days * 86_400_000), name: `bench-flow-${i}`, tags: "[]", created: new Date(now - days * 86_400_000).toISOString(), updated: new Date(now).toISOString() }));
  await database.db.insertInto("flows").values(flowRows).execute();
  const BATCH = 500;
  for (let start = 0; start < runs; start += BATCH) {
    await database.transaction(async (trx) => {
      const rows = [];
      const states = [];
      for (let i = start; i < Math.min(runs, start + BATCH); i++) {
        const t = now - Math.floor(((runs - i) / runs) * days * 86_400_000);
        const at = new Date(t).toISOString();
        const [type, name] = pick(((i * 2654435761) % 1000) / 1000);
        const flow = flowRows[i % flows];
        const stateId = uuidv7(t);
        const state = { id: stateId, type, name, message: type === "FAILED" ? `ValueError: row ${i} is not a number` : null, timestamp: at, state_details: {}, data: null };
        const ended = ["COMPLETED", "FAILED", "CRASHED", "CANCELLED"].includes(type);
        rows.push({
          id: uuidv7(t), name: `run-${i}-${randomBytes(2).toString("hex")}`, flow_id: flow.id, flow_name: flow.name,
          deployment_id: null, parent_flow_run_id: null, parent_task_run_id: null,
          parameters: JSON.stringify({ limit: i % 10 }), tags: JSON.stringify(i % 3 === 0 ? ["etl", "nightly"] : ["etl"]),
          empirical_policy: JSON.stringify({ retries: 0, retry_delay_seconds: 0 }), heartbeat_time: null, created: at,
          deployment_name: null, work_pool_name: null, work_queue_name: null, job_variables: null, worker_name: null,
          idempotency_key: null, lease_expiration: null, schedule_id: null,
          state_id: stateId, state_type: type, state_name: name, state: JSON.stringify(state), run_count: type === "SCHEDULED" || type === "PENDING" ? 0 : 1,
          expected_start_time: at, next_scheduled_time: type === "SCHEDULED" ? at : null, start_time: ended || type === "RUNNING" ? at : null,
          end_time: ended ? at : null, updated: at,
        });
        states.push({ id: stateId, flow_run_id: rows.at(-1).id, type, name, message: state.message, timestamp: at, state_details: "{}", data: null });
      }
      await trx.insertInto("flow_runs").values(rows).execute();
      await trx.insertInto("flow_run_states").values(states).execute();
    });
  }
  await database.close();
}
