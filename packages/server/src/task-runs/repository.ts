import {
  ConflictError,
  TaskRunNotFound,
  isTerminal,
  uuidv7,
  type OrchestrationResult,
  type Page,
  type SetStateBodySchema,
  type State,
  type TaskRun,
  type TaskRunListQuerySchema,
} from "@baton/core";
import type { Kysely } from "kysely";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import { splitStateFilter } from "../db/filters.js";
import { decodeCursor, pageFrom } from "../db/pagination.js";
import { fromJson } from "../db/rows.js";
import type { Database } from "../db/schema.js";
import { currentStateColumns } from "../orchestration/apply.js";
import { orchestrationResult, stateToStore } from "../orchestration/result.js";
import { orchestrate } from "../orchestration/policy.js";
import { stateFromCreate } from "../orchestration/states.js";
import { assertFlowRunsExist } from "../flow-runs/exists.js";
import { TASK_RUN_STATES, insertStates } from "../states/repository.js";
import { taskRunBase, toTaskRun, type TaskRunInput, type TaskRunRow } from "./rows.js";

/** Create one task run in PENDING; the same id again returns the task run made first. */
export async function createTaskRun(database: BatonDatabase, input: TaskRunInput, now: Date): Promise<TaskRun> {
  return database.transaction(async (trx) => {
    const existing = await trx.selectFrom("task_runs").selectAll().where("id", "=", input.id).executeTakeFirst();
    if (existing) {
      if (existing.flow_run_id !== input.flow_run_id) {
        throw new ConflictError(`Conflict: task run ${input.id} already exists in flow run ${existing.flow_run_id}; give the new task run its own id`);
      }
      return toTaskRun(existing);
    }
    await assertFlowRunsExist(database, trx, [input.flow_run_id]);
    const state = stateFromCreate({ type: "PENDING" }, now);
    const base = taskRunBase(input, now);
    const row: TaskRunRow = { ...base, ...currentStateColumns(base, state, now) };
    await trx.insertInto("task_runs").values(row).execute();
    await insertStates(database, trx, TASK_RUN_STATES, [{ ownerId: row.id, state }]);
    return toTaskRun(row);
  });
}

async function readTaskRunRow(db: Kysely<Database>, id: string, forUpdate = false): Promise<TaskRunRow> {
  let query = db.selectFrom("task_runs").selectAll().where("id", "=", id);
  if (forUpdate) query = query.forNoKeyUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw new TaskRunNotFound(id);
  return row;
}

export async function readTaskRun(db: Kysely<Database>, id: string): Promise<TaskRun> {
  return toTaskRun(await readTaskRunRow(db, id));
}

/** Task runs, oldest first, usually those of one flow run. */
export async function listTaskRuns(db: Kysely<Database>, query: z.output<typeof TaskRunListQuerySchema>): Promise<Page<TaskRun>> {
  let q = db.selectFrom("task_runs").selectAll();
  if (query.flow_run_id) q = q.where("flow_run_id", "=", query.flow_run_id);
  if (query.state) {
    const { types, names } = splitStateFilter(query.state.split(",").map((s) => s.trim()).filter(Boolean));
    if (types.length + names.length > 0) {
      q = q.where((eb) => eb.or([...(types.length ? [eb("state_type", "in", types)] : []), ...(names.length ? [eb("state_name", "in", names)] : [])]));
    }
  }
  if (query.cursor) {
    const [created, id] = decodeCursor(query.cursor, 2) as [string, string];
    q = q.where((eb) => eb.or([eb("created", ">", created), eb.and([eb("created", "=", created), eb("id", ">", id)])]));
  }
  const rows = await q.orderBy("created", "asc").orderBy("id", "asc").limit(query.limit + 1).execute();
  return pageFrom(rows, query.limit, toTaskRun, (row) => [row.created, row.id]);
}

/** Propose a task run state; a FAILED with retries left becomes AwaitingRetry. */
export async function setTaskRunState(database: BatonDatabase, id: string, body: z.output<typeof SetStateBodySchema>, now: Date): Promise<OrchestrationResult> {
  return database.transaction(async (trx) => {
    const row = await readTaskRunRow(trx, id, database.kind === "postgresql");
    const current = fromJson<State>(row.state);
    const decision = orchestrate(
      { state: current, run_count: row.run_count, retries: row.max_retries, retry_delay_seconds: fromJson(row.retry_delay_seconds) },
      stateFromCreate(body.state, now),
      { now, force: body.force, convertRetries: true },
    );
    const toStore = stateToStore(decision);
    if (toStore) {
      await insertStates(database, trx, TASK_RUN_STATES, [{ ownerId: id, state: toStore }]);
      await trx.updateTable("task_runs").set(currentStateColumns(row, toStore, now)).where("id", "=", id).execute();
    }
    return orchestrationResult(decision, current);
  });
}

/** When a flow run crashes, so do its task runs that had not ended. */
export async function crashOpenTaskRuns(database: BatonDatabase, trx: Kysely<Database>, flowRunId: string, message: string, now: Date): Promise<number> {
  const open = await trx
    .selectFrom("task_runs")
    .select(["id", "run_count", "expected_start_time", "start_time", "end_time", "state_type"])
    .where("flow_run_id", "=", flowRunId)
    .where("state_type", "not in", ["COMPLETED", "FAILED", "CRASHED", "CANCELLED"])
    .execute();
  const rows = open.filter((row) => !isTerminal(row.state_type));
  const states = rows.map((row) => ({
    ownerId: row.id,
    state: { id: uuidv7(now.getTime()), type: "CRASHED", name: "Crashed", message, timestamp: now.toISOString(), state_details: {}, data: null } satisfies State,
  }));
  await insertStates(database, trx, TASK_RUN_STATES, states);
  for (const [index, row] of rows.entries()) {
    await trx.updateTable("task_runs").set(currentStateColumns(row, states[index]!.state, now)).where("id", "=", row.id).execute();
  }
  return rows.length;
}
