import type { TaskRun, TaskRunCreateSchema } from "@baton/core";
import type { Selectable } from "kysely";
import type { z } from "zod";
import { fromJson, toJson } from "../db/rows.js";
import type { TaskRunTable } from "../db/schema.js";
import { toUtcIso } from "../orchestration/states.js";

export type TaskRunRow = Selectable<TaskRunTable>;
export type TaskRunInput = z.output<typeof TaskRunCreateSchema>;
/** A task run row before its first state is known. */
export type TaskRunBase = Omit<TaskRunTable, "state_id" | "state_type" | "state_name" | "state" | "next_scheduled_time" | "updated">;

export function taskRunBase(input: TaskRunInput, now: Date): TaskRunBase {
  return {
    id: input.id,
    flow_run_id: input.flow_run_id,
    task_key: input.task_key,
    name: input.name,
    dynamic_key: input.dynamic_key,
    tags: toJson(input.tags),
    max_retries: input.max_retries,
    retry_delay_seconds: toJson(input.retry_delay_seconds ?? 0),
    cache_key: input.cache_key ?? null,
    task_inputs: toJson(input.task_inputs),
    subflow_run_id: input.subflow_run_id ?? null,
    run_count: 0,
    expected_start_time: null,
    start_time: null,
    end_time: null,
    created: input.created ? toUtcIso(input.created) : now.toISOString(),
  };
}

export function toTaskRun(row: TaskRunRow): TaskRun {
  return {
    id: row.id,
    flow_run_id: row.flow_run_id,
    task_key: row.task_key,
    name: row.name,
    dynamic_key: row.dynamic_key,
    tags: fromJson(row.tags),
    state_type: row.state_type,
    state_name: row.state_name,
    state: fromJson(row.state),
    run_count: row.run_count,
    max_retries: row.max_retries,
    cache_key: row.cache_key,
    task_inputs: fromJson(row.task_inputs),
    subflow_run_id: row.subflow_run_id,
    expected_start_time: row.expected_start_time,
    start_time: row.start_time,
    end_time: row.end_time,
    created: row.created,
    updated: row.updated,
  };
}
