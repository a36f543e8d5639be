import type { RunReportResult } from "@baton/core";
import type { Kysely } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import { TASK_RUN_COLUMNS, TASK_RUN_STATE_COLUMNS, taskRunStateValues, taskRunValues } from "../db/columns.js";
import { idIn } from "../db/filters.js";
import type { Database } from "../db/schema.js";
import { assertFlowRunsExist } from "../flow-runs/exists.js";
import { insertLogs } from "../logs/repository.js";
import { TASK_RUN_STATES, insertStates } from "../states/repository.js";
import { planReport, type KnownTaskRun, type Report } from "./plan.js";

/**
 * Apply a report in one transaction: a few reads (which flow runs and task runs exist),
 * then multi-row writes. Nothing is written when a flow run is missing.
 */
export async function applyReport(database: BatonDatabase, report: Report, now: Date): Promise<RunReportResult> {
  return database.transaction(async (trx) => {
    await assertFlowRunsExist(database, trx, [...report.task_runs.map((t) => t.flow_run_id), ...report.logs.map((l) => l.flow_run_id)]);
    const referenced = new Set<string>();
    for (const t of report.task_runs) referenced.add(t.id);
    for (const s of report.task_run_states) referenced.add(s.task_run_id);
    const known = await readKnownTaskRuns(database, trx, [...referenced]);
    const plan = planReport(report, known, now);
    await database.bulk.insert(trx, "task_runs", TASK_RUN_COLUMNS, plan.inserts.map(taskRunValues));
    await database.bulk.update(trx, "task_runs", TASK_RUN_STATE_COLUMNS, plan.updates.map(taskRunStateValues));
    await insertStates(database, trx, TASK_RUN_STATES, plan.states);
    const logsWritten = report.logs.length > 0 ? await insertLogs(database, trx, report.logs) : 0;
    return { task_runs_created: plan.created, states_accepted: plan.accepted, logs_written: logsWritten, rejected: plan.rejected };
  });
}

async function readKnownTaskRuns(database: BatonDatabase, trx: Kysely<Database>, ids: string[]): Promise<KnownTaskRun[]> {
  if (ids.length === 0) return [];
  let query = trx
    .selectFrom("task_runs")
    .select(["id", "state", "run_count", "expected_start_time", "start_time", "end_time"])
    .where(idIn(database.kind, "id", ids));
  // Two reports touching the same task run on PostgreSQL: the second waits for the first. Rows
  // are locked in id order, so two reports can never each hold a row the other waits for.
  if (database.kind === "postgresql") query = query.orderBy("id").forNoKeyUpdate();
  return query.execute();
}
