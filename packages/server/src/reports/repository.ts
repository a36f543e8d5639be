import type { RunReportResult } from "@baton/core";
import type { Kysely } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import { chunksOf, rowsPerInsert } from "../db/rows.js";
import type { Database } from "../db/schema.js";
import { assertFlowRunsExist } from "../flow-runs/exists.js";
import { insertLogs } from "../logs/repository.js";
import { TASK_RUN_STATES, insertStates } from "../states/repository.js";
import type { TaskRunRow } from "../task-runs/rows.js";
import { planReport, type Report } from "./plan.js";

const TASK_RUN_COLUMNS = 22;

/**
 * Apply a report in one transaction: a few reads (which flow runs and task runs exist),
 * then multi-row writes. Nothing is written when a flow run is missing.
 */
export async function applyReport(database: BatonDatabase, report: Report, now: Date): Promise<RunReportResult> {
  return database.transaction(async (trx) => {
    await assertFlowRunsExist(trx, [...report.task_runs.map((t) => t.flow_run_id), ...report.logs.map((l) => l.flow_run_id)]);
    const referenced = new Set<string>();
    for (const t of report.task_runs) referenced.add(t.id);
    for (const s of report.task_run_states) referenced.add(s.task_run_id);
    const existing = await readTaskRuns(trx, [...referenced], database.kind === "postgresql");
    const plan = planReport(report, existing, now);
    await upsertTaskRuns(trx, plan.taskRuns);
    await insertStates(trx, TASK_RUN_STATES, plan.states);
    const logsWritten = report.logs.length > 0 ? await insertLogs(trx, report.logs) : 0;
    return { task_runs_created: plan.created, states_accepted: plan.accepted, logs_written: logsWritten, rejected: plan.rejected };
  });
}

async function readTaskRuns(trx: Kysely<Database>, ids: string[], forUpdate: boolean): Promise<TaskRunRow[]> {
  const rows: TaskRunRow[] = [];
  for (const chunk of chunksOf(ids, 5000)) {
    let query = trx.selectFrom("task_runs").selectAll().where("id", "in", chunk);
    // Two reports touching the same task run on PostgreSQL: the second waits for the first.
    if (forUpdate) query = query.forUpdate();
    rows.push(...(await query.execute()));
  }
  return rows;
}

/** New task runs are inserted; known ones get their new current state (one statement per chunk). */
async function upsertTaskRuns(trx: Kysely<Database>, rows: TaskRunRow[]): Promise<void> {
  for (const chunk of chunksOf(rows, rowsPerInsert(TASK_RUN_COLUMNS))) {
    await trx
      .insertInto("task_runs")
      .values(chunk)
      .onConflict((oc) =>
        oc.column("id").doUpdateSet((eb) => ({
          state_id: eb.ref("excluded.state_id"),
          state_type: eb.ref("excluded.state_type"),
          state_name: eb.ref("excluded.state_name"),
          state: eb.ref("excluded.state"),
          run_count: eb.ref("excluded.run_count"),
          expected_start_time: eb.ref("excluded.expected_start_time"),
          next_scheduled_time: eb.ref("excluded.next_scheduled_time"),
          start_time: eb.ref("excluded.start_time"),
          end_time: eb.ref("excluded.end_time"),
          updated: eb.ref("excluded.updated"),
        })),
      )
      .execute();
  }
}
