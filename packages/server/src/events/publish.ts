import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import type { EventBus } from "./bus.js";
import { sql } from "kysely";
import type { FlowRunEvent, TaskRunsEvent } from "./types.js";
import type { Committed, LogSpan, StateFact } from "./committed.js";

export { nothingCommitted, type Committed, type LogSpan, type StateFact } from "./committed.js";

/**
 * Turn a commit into events on the bus. The lookups (a run's flow and deployment, another
 * replica's log lines) run only when someone listens, one commit after the other, so a run's
 * events keep the order of its commits.
 */
export function createPublisher(db: Kysely<Database>, bus: EventBus): (committed: Committed) => void {
  let queue: Promise<void> = Promise.resolve();
  return (committed) => {
    if (bus.watchesFinal()) for (const state of committed.states) bus.stateCommitted(state.flow_run_id, state.type);
    if (committed.logs.length > 0 && bus.wants("log")) for (const log of committed.logs) bus.publish("log", log);
    if (committed.workers.length > 0 && bus.wants("worker")) for (const worker of committed.workers) bus.publish("worker", worker);
    if (bus.wants("task_runs")) for (const event of committed.taskRuns) if (bus.watches(event.flow_run_id)) bus.publish("task_runs", event);
    const spans = bus.wants("log") ? committed.logSpans.filter((span) => bus.watches(span.flow_run_id)) : [];
    const states = bus.wants("flow_run") ? committed.states : [];
    const taskRunIds = bus.wants("task_runs") ? committed.taskRunIds : [];
    if (spans.length === 0 && states.length === 0 && taskRunIds.length === 0) return;
    // A failure means the run was deleted meanwhile or the database is closing: nothing to tell.
    queue = queue
      .then(async () => {
        for (const event of await countTaskRuns(db, taskRunIds)) if (bus.watches(event.flow_run_id)) bus.publish("task_runs", event);
        await lookUpAndPublish(db, bus, states, spans);
      })
      .catch(() => undefined);
  };
}

/** Task runs per flow run among `ids` (primary-key reads, 500 at a time). */
export async function countTaskRuns(db: Kysely<Database>, ids: readonly string[]): Promise<TaskRunsEvent[]> {
  const counts = new Map<string, number>();
  const unique = [...new Set(ids)];
  for (let start = 0; start < unique.length; start += 500) {
    const rows = await db
      .selectFrom("task_runs")
      .select(["flow_run_id", sql<number>`count(*)`.as("count")])
      .where("id", "in", unique.slice(start, start + 500))
      .groupBy("flow_run_id")
      .execute();
    for (const row of rows) counts.set(row.flow_run_id, (counts.get(row.flow_run_id) ?? 0) + Number(row.count));
  }
  return [...counts].map(([flow_run_id, count]) => ({ flow_run_id, count }));
}

async function lookUpAndPublish(db: Kysely<Database>, bus: EventBus, states: StateFact[], spans: LogSpan[]): Promise<void> {
  for (const span of spans) {
    const rows = await db
      .selectFrom("logs")
      .selectAll()
      .where("flow_run_id", "=", span.flow_run_id)
      .where("timestamp", ">=", span.from)
      .where("timestamp", "<=", span.to)
      .orderBy("timestamp")
      .orderBy("id")
      .limit(5000)
      .execute();
    for (const row of rows) bus.publish("log", row);
  }
  if (states.length === 0) return;
  const ids = [...new Set(states.map((s) => s.flow_run_id))];
  const runs = new Map<string, { flow_id: string; flow_name: string; deployment_id: string | null; deployment_name: string | null; work_pool_name: string | null }>();
  for (let start = 0; start < ids.length; start += 500) {
    const rows = await db.selectFrom("flow_runs").select(["id", "flow_id", "flow_name", "deployment_id", "deployment_name", "work_pool_name"]).where("id", "in", ids.slice(start, start + 500)).execute();
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
      flow_name: run.flow_name,
      deployment_name: run.deployment_name,
      deployment_id: run.deployment_id,
      work_pool_name: run.work_pool_name,
      timestamp: state.timestamp,
      state_id: state.state_id ?? "",
    };
    bus.publish("flow_run", event);
  }
}
