import { uuidv7, type Log, type LogCreateSchema, type LogListQuerySchema, type Page } from "@baton/core";
import type { Kysely } from "kysely";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import { decodeCursor, pageFrom } from "../db/pagination.js";
import { LOG_COLUMNS, logValues } from "../db/columns.js";
import type { Database, LogTable } from "../db/schema.js";
import { assertFlowRunsExist } from "../flow-runs/exists.js";
import { toUtcIso } from "../orchestration/states.js";

export type LogInput = z.output<typeof LogCreateSchema>;

export function logRow(input: LogInput): LogTable {
  return {
    id: input.id ?? uuidv7(),
    flow_run_id: input.flow_run_id,
    task_run_id: input.task_run_id ?? null,
    name: input.name,
    level: input.level,
    message: input.message,
    timestamp: toUtcIso(input.timestamp),
  };
}

/** Insert log lines; a line sent twice (same id, a retried request) is kept once. */
export async function insertLogs(database: BatonDatabase, trx: Kysely<Database>, logs: readonly LogInput[]): Promise<number> {
  return database.bulk.insert(trx, "logs", LOG_COLUMNS, logs.map((log) => logValues(logRow(log))), "ignore");
}

export async function writeLogs(database: BatonDatabase, logs: readonly LogInput[]): Promise<number> {
  if (logs.length === 0) return 0;
  return database.transaction(async (trx) => {
    await assertFlowRunsExist(database, trx, logs.map((log) => log.flow_run_id));
    return insertLogs(database, trx, logs);
  });
}

/** A run's logs, oldest first; the cursor of the last page lets a follower poll for more. */
export async function listLogs(db: Kysely<Database>, query: z.output<typeof LogListQuerySchema>): Promise<Page<Log>> {
  let q = db.selectFrom("logs").selectAll().where("flow_run_id", "=", query.flow_run_id);
  if (query.task_run_id) q = q.where("task_run_id", "=", query.task_run_id);
  if (query.min_level !== undefined) q = q.where("level", ">=", query.min_level);
  if (query.cursor) {
    const [timestamp, id] = decodeCursor(query.cursor, 2) as [string, string];
    q = q.where((eb) => eb.or([eb("timestamp", ">", timestamp), eb.and([eb("timestamp", "=", timestamp), eb("id", ">", id)])]));
  }
  const rows = await q.orderBy("timestamp", "asc").orderBy("id", "asc").limit(query.limit + 1).execute();
  return pageFrom(rows, query.limit, (row) => row, (row) => [row.timestamp, row.id]);
}
