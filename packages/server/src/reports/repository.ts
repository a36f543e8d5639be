import type { RunReportResult } from "@baton/core";
import type { Kysely } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import { TASK_RUN_COLUMNS, TASK_RUN_STATE_UPDATE, taskRunValues } from "../db/columns.js";
import { idIn } from "../db/filters.js";
import type { Database } from "../db/schema.js";
import { assertFlowRunsExist } from "../flow-runs/exists.js";
import { insertLogs } from "../logs/repository.js";
import { TASK_RUN_STATES, insertStates } from "../states/repository.js";
import type { TaskRunRow } from "../task-runs/rows.js";
import { planReport, type Report } from "./plan.js";

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
    const existing = await readTaskRuns(database, trx, [...referenced]);
    const plan = planReport(report, existing, now);
    // New task runs are inserted; known ones get their new current state, in the same statement.
    await database.bulk.insert(trx, "task_runs", TASK_RUN_COLUMNS, plan.taskRuns.map(taskRunValues), { update: TASK_RUN_STATE_UPDATE });
    await insertStates(database, trx, TASK_RUN_STATES, plan.states);
    const logsWritten = report.logs.length > 0 ? await insertLogs(database, trx, report.logs) : 0;
    return { task_runs_created: plan.created, states_accepted: plan.accepted, logs_written: logsWritten, rejected: plan.rejected };
  });
}

async function readTaskRuns(database: BatonDatabase, trx: Kysely<Database>, ids: string[]): Promise<TaskRunRow[]> {
  if (ids.length === 0) return [];
  let query = trx.selectFrom("task_runs").selectAll().where(idIn(database.kind, "id", ids));
  // Two reports touching the same task run on PostgreSQL: the second waits for the first. Rows
  // are locked in id order, so two reports can never each hold a row the other waits for.
  if (database.kind === "postgresql") query = query.orderBy("id").forNoKeyUpdate();
  return query.execute();
}
