import type { Kysely } from "kysely";
import type { BulkColumn } from "../db/bulk.js";
import type { BatonDatabase } from "../db/open.js";
import type { Database } from "../db/schema.js";
import type { EventBus } from "./bus.js";
import type { FlowRunEvent, LogEvent } from "./types.js";

interface Pending {
  states: { flow_run_id: string; type: string; name: string; timestamp: string }[];
  logs: LogEvent[];
}

/**
 * Every flow-run state and every log line reaches the database through `bulk.insert` (the
 * states through insertStates, whoever sets them: the orchestration rules, claims, leases,
 * cancellation, the late and crashed services, run creation). So the events are taken there,
 * in one place, instead of at each writer: the wrapper notes the rows a transaction inserts
 * and publishes them once it has committed (never a state that was rolled back).
 */
export function captureEvents(database: BatonDatabase, bus: EventBus): BatonDatabase {
  const open = new WeakMap<object, Pending>();
  // One after the other, so a run's events keep the order of its commits.
  let queue: Promise<void> = Promise.resolve();
  const publish = (pending: Pending) => {
    if (pending.logs.length > 0 && bus.wants("log")) for (const log of pending.logs) bus.publish("log", log);
    if (pending.states.length > 0 && bus.wants("flow_run")) {
      // A failure means the run was deleted meanwhile or the database is closing: nothing to tell.
      queue = queue.then(() => publishStates(database.db, bus, pending.states)).catch(() => undefined);
    }
  };
  const bulk = database.bulk;
  return {
    ...database,
    bulk: {
      update: (trx, table, columns, rows) => bulk.update(trx, table, columns, rows),
      async insert(trx, table, columns, rows, onConflict) {
        const written = await bulk.insert(trx, table, columns, rows, onConflict);
        if (table === "flow_run_states" || table === "logs") {
          const inTransaction = open.get(trx);
          const pending = inTransaction ?? { states: [], logs: [] };
          note(pending, table, columns, rows);
          if (!inTransaction) publish(pending); // written outside a transaction: committed already
        }
        return written;
      },
    },
    async transaction(fn) {
      let pending: Pending | undefined;
      const result = await database.transaction((trx) => {
        pending = { states: [], logs: [] };
        open.set(trx, pending);
        return fn(trx);
      });
      if (pending) publish(pending);
      return result;
    },
  };
}

function note(pending: Pending, table: string, columns: readonly BulkColumn[], rows: readonly unknown[][]): void {
  const at = (name: string) => columns.findIndex((c) => c.name === name);
  if (table === "flow_run_states") {
    const [owner, type, name, timestamp] = [at("flow_run_id"), at("type"), at("name"), at("timestamp")];
    for (const row of rows) pending.states.push({ flow_run_id: String(row[owner]), type: String(row[type]), name: String(row[name]), timestamp: String(row[timestamp]) });
    return;
  }
  const [id, run, task, name, level, message, timestamp] = ["id", "flow_run_id", "task_run_id", "name", "level", "message", "timestamp"].map(at) as number[];
  for (const row of rows) {
    pending.logs.push({
      id: String(row[id!]),
      flow_run_id: String(row[run!]),
      task_run_id: row[task!] == null ? null : String(row[task!]),
      name: String(row[name!]),
      level: Number(row[level!]),
      message: String(row[message!]),
      timestamp: String(row[timestamp!]),
    });
  }
}

/** The states name their run; the events also carry its flow, deployment and pool (one query). */
async function publishStates(db: Kysely<Database>, bus: EventBus, states: Pending["states"]): Promise<void> {
  const ids = [...new Set(states.map((s) => s.flow_run_id))];
  const runs = new Map<string, { flow_id: string; deployment_id: string | null; work_pool_name: string | null }>();
  for (let start = 0; start < ids.length; start += 500) {
    const rows = await db.selectFrom("flow_runs").select(["id", "flow_id", "deployment_id", "work_pool_name"]).where("id", "in", ids.slice(start, start + 500)).execute();
    for (const row of rows) runs.set(row.id, row);
  }
  for (const state of states) {
    const run = runs.get(state.flow_run_id);
    if (!run) continue;
    const event: FlowRunEvent = {
      id: state.flow_run_id,
      state_type: state.type,
      state_name: state.name,
      flow_id: run.flow_id,
      deployment_id: run.deployment_id,
      work_pool_name: run.work_pool_name,
      timestamp: state.timestamp,
    };
    bus.publish("flow_run", event);
  }
}
