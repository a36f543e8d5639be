import type { BulkColumn } from "../db/bulk.js";
import type { BatonDatabase } from "../db/open.js";
import type { EventBus } from "./bus.js";
import { createPublisher, nothingCommitted, type Committed } from "./publish.js";

/**
 * Every flow-run state and every log line reaches the database through `bulk.insert` (the
 * states through insertStates, whoever sets them: the orchestration rules, claims, leases,
 * cancellation, the late and crashed services, run creation). So the events are taken there,
 * in one place, instead of at each writer: the wrapper notes the rows a transaction inserts
 * and, once it has committed (never a state that was rolled back), publishes them here and
 * hands them to the bus's relay to other replicas (events/replicas.ts) when there is one.
 */
/**
 * What another connection of this process committed (the scheduler's thread), published here as
 * if this one had written it; `wanted` says whether anyone here would hear it at all.
 */
export interface CommitRelay {
  wanted(): boolean;
  publish(committed: Committed): void;
}

export function captureEvents(database: BatonDatabase, bus: EventBus): BatonDatabase & { commits: CommitRelay } {
  const open = new WeakMap<object, Committed>();
  const publishHere = createPublisher(database.db, bus);
  const publish = (committed: Committed) => {
    if (committed.states.length === 0 && committed.logs.length === 0 && committed.taskRunIds.length === 0) return;
    publishHere(committed);
    bus.relay?.(committed);
  };
  const bulk = database.bulk;
  return {
    ...database,
    commits: { wanted: () => bus.wants("flow_run") || bus.watchesFinal() || bus.relay !== undefined, publish },
    bulk: {
      update: (trx, table, columns, rows) => bulk.update(trx, table, columns, rows),
      // Runs, not states: their first states come through `insert` and are noted there.
      insertNew: (trx, table, columns, rows, key) => bulk.insertNew(trx, table, columns, rows, key),
      async insert(trx, table, columns, rows, onConflict) {
        const written = await bulk.insert(trx, table, columns, rows, onConflict);
        // Noted only when someone here listens or a replica may: the report route's hot path
        // then pays one comparison per batch, not an object per log line.
        const wanted = table === "flow_run_states" ? bus.wants("flow_run") || bus.watchesFinal() : table === "logs" ? bus.wants("log") : table === "task_run_states" && bus.wants("task_runs");
        if (wanted || ((table === "flow_run_states" || table === "logs" || table === "task_run_states") && bus.relay)) {
          const inTransaction = open.get(trx);
          const committed = inTransaction ?? nothingCommitted();
          note(committed, table, columns, rows);
          if (!inTransaction) publish(committed); // written outside a transaction: committed already
        }
        return written;
      },
    },
    async transaction(fn) {
      let committed: Committed | undefined;
      const result = await database.transaction((trx) => {
        committed = nothingCommitted();
        open.set(trx, committed);
        return fn(trx);
      });
      if (committed) publish(committed);
      return result;
    },
  };
}

function note(pending: Committed, table: string, columns: readonly BulkColumn[], rows: readonly unknown[][]): void {
  const at = (name: string) => columns.findIndex((c) => c.name === name);
  if (table === "task_run_states") {
    const owner = at("task_run_id");
    for (const row of rows) pending.taskRunIds.push(String(row[owner]));
    return;
  }
  if (table === "flow_run_states") {
    const [id, owner, type, name, timestamp] = [at("id"), at("flow_run_id"), at("type"), at("name"), at("timestamp")];
    for (const row of rows) pending.states.push({ flow_run_id: String(row[owner]), type: String(row[type]), name: String(row[name]), timestamp: String(row[timestamp]), state_id: String(row[id]) });
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
