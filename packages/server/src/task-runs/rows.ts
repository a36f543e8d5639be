import type { TaskRun, TaskRunCreateSchema } from "@baton/core";
import type { Selectable } from "kysely";
import type { z } from "zod";
import { fromJson, toJson } from "../db/rows.js";
import type { CurrentStateColumns, TaskRunTable } from "../db/schema.js";
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

/** A whole row from its fixed columns and its current-state columns (a literal: spreads are slow on this hot path). */
export function taskRunRow(base: TaskRunBase, current: CurrentStateColumns): TaskRunRow {
  return {
    id: base.id,
    flow_run_id: base.flow_run_id,
    task_key: base.task_key,
    name: base.name,
    dynamic_key: base.dynamic_key,
    tags: base.tags,
    max_retries: base.max_retries,
    retry_delay_seconds: base.retry_delay_seconds,
    cache_key: base.cache_key,
    task_inputs: base.task_inputs,
    subflow_run_id: base.subflow_run_id,
    created: base.created,
    state_id: current.state_id,
    state_type: current.state_type,
    state_name: current.state_name,
    state: current.state,
    run_count: current.run_count,
    expected_start_time: current.expected_start_time,
    next_scheduled_time: current.next_scheduled_time,
    start_time: current.start_time,
    end_time: current.end_time,
    updated: current.updated,
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
