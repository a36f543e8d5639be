import type { Deployment, DeploymentSchedule, ScheduleSpec } from "@baton/core";
import type { Selectable } from "kysely";
import { fromJson } from "../db/rows.js";
import type { DeploymentScheduleTable, DeploymentTable } from "../db/schema.js";

export type DeploymentRow = Selectable<DeploymentTable>;
export type ScheduleRow = Selectable<DeploymentScheduleTable>;

/** What a schedule row stores in `schedule`: the spec without `active` and `parameters`, which have columns. */
export type StoredSpec = Omit<ScheduleSpec, "active" | "parameters">;

export const specOf = (row: ScheduleRow): ScheduleSpec => ({ ...fromJson<StoredSpec>(row.schedule), active: Boolean(row.active), parameters: fromJson(row.parameters) });

export function toSchedule(row: ScheduleRow): DeploymentSchedule {
  return { id: row.id, schedule: fromJson(row.schedule), active: Boolean(row.active), parameters: fromJson(row.parameters) };
}

export function toDeployment(row: DeploymentRow, schedules: readonly ScheduleRow[]): Deployment {
  return {
    id: row.id,
    name: row.name,
    flow_id: row.flow_id,
    flow_name: row.flow_name,
    entrypoint: row.entrypoint,
    description: row.description,
    version: row.version,
    tags: fromJson(row.tags),
    parameters: fromJson(row.parameters),
    parameter_schema: row.parameter_schema === null ? null : fromJson(row.parameter_schema),
    enforce_parameter_schema: Boolean(row.enforce_parameter_schema),
    pull_steps: fromJson(row.pull_steps),
    schedules: [...schedules].sort((a, b) => a.position - b.position).map(toSchedule),
    paused: Boolean(row.paused),
    concurrency_limit: row.concurrency_limit === null ? null : Number(row.concurrency_limit),
    work_pool_name: row.work_pool_name,
    work_queue_name: row.work_queue_name,
    job_variables: fromJson(row.job_variables),
    source: row.source === null ? null : fromJson(row.source),
    created: row.created,
    updated: row.updated,
  };
}
