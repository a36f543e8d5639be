import { uuidv7, type Deployment, type ScheduleSpec } from "@baton/core";
import type { Kysely } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import type { Database } from "../db/schema.js";
import { DeploymentScheduleNotFound } from "./errors.js";
import { fromJson, toJson } from "../db/rows.js";
import { checkParameters } from "./parameters.js";
import { deleteFutureScheduledRuns, resetHorizons } from "./future-runs.js";
import { readDeploymentRow, withSchedules } from "./read.js";
import type { StoredSpec } from "./rows.js";

/**
 * One schedule changed by itself, from the UI: added, paused, resumed or deleted. Runs the
 * schedule already made for the future go when it is paused or deleted; the others' stay. A
 * redeploy (`baton deploy`) sets the whole list again from baton.yaml, as in Prefect.
 */
export async function addSchedule(database: BatonDatabase, id: string, spec: ScheduleSpec, now: Date): Promise<Deployment> {
  return database.transaction(async (trx) => {
    const row = await readDeploymentRow(trx, id, { forUpdate: database.kind === "postgresql" });
    // Checked now, as a run's are: a schedule with a wrong parameter would make runs that all fail.
    if (row.enforce_parameter_schema && row.parameter_schema) {
      checkParameters(fromJson(row.parameter_schema), { ...fromJson<Record<string, unknown>>(row.parameters), ...spec.parameters });
    }
    const last = await trx.selectFrom("deployment_schedules").select((eb) => eb.fn.max("position").as("position")).where("deployment_id", "=", id).executeTakeFirst();
    const { active, parameters, ...stored } = spec;
    const stamp = now.toISOString();
    await trx
      .insertInto("deployment_schedules")
      .values({
        id: uuidv7(now.getTime()),
        deployment_id: id,
        position: last?.position === null || last?.position === undefined ? 0 : Number(last.position) + 1,
        schedule: toJson(stored satisfies StoredSpec),
        active: active ? 1 : 0,
        parameters: toJson(parameters),
        created: stamp,
      })
      .execute();
    await trx.updateTable("deployments").set({ updated: stamp }).where("id", "=", id).execute();
    return withSchedules(trx, { ...row, updated: stamp });
  });
}

async function assertSchedule(trx: Kysely<Database>, row: { id: string; flow_name: string; name: string }, scheduleId: string): Promise<void> {
  const found = await trx.selectFrom("deployment_schedules").select("id").where("id", "=", scheduleId).where("deployment_id", "=", row.id).executeTakeFirst();
  if (!found) throw new DeploymentScheduleNotFound(`${row.flow_name}/${row.name}`, scheduleId);
}

export async function setScheduleActive(database: BatonDatabase, id: string, scheduleId: string, active: boolean, now: Date): Promise<Deployment> {
  return database.transaction(async (trx) => {
    const row = await readDeploymentRow(trx, id, { forUpdate: database.kind === "postgresql" });
    await assertSchedule(trx, row, scheduleId);
    const stamp = now.toISOString();
    await trx.updateTable("deployment_schedules").set({ active: active ? 1 : 0 }).where("id", "=", scheduleId).execute();
    if (active) await resetHorizons(trx, id, [scheduleId]);
    else await deleteFutureScheduledRuns(trx, id, now, [scheduleId]);
    await trx.updateTable("deployments").set({ updated: stamp }).where("id", "=", id).execute();
    return withSchedules(trx, { ...row, updated: stamp });
  });
}

export async function deleteSchedule(database: BatonDatabase, id: string, scheduleId: string, now: Date): Promise<Deployment> {
  return database.transaction(async (trx) => {
    const row = await readDeploymentRow(trx, id, { forUpdate: database.kind === "postgresql" });
    await assertSchedule(trx, row, scheduleId);
    const stamp = now.toISOString();
    await deleteFutureScheduledRuns(trx, id, now, [scheduleId]);
    await trx.deleteFrom("deployment_schedules").where("id", "=", scheduleId).execute();
    await trx.updateTable("deployments").set({ updated: stamp }).where("id", "=", id).execute();
    return withSchedules(trx, { ...row, updated: stamp });
  });
}
