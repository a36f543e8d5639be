import { uuidv7, type Deployment, type DeploymentScheduleUpdate, type ScheduleSpec } from "@baton/core";
import type { Kysely } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import type { Database } from "../db/schema.js";
import { DeploymentScheduleNotFound } from "./errors.js";
import { fromJson, toJson } from "../db/rows.js";
import { checkScheduleParameters } from "./parameters.js";
import { deleteFutureScheduledRuns, resetHorizons } from "./future-runs.js";
import { readDeploymentRow, withSchedules } from "./read.js";
import type { StoredSpec } from "./rows.js";

/**
 * One schedule changed by itself, from the UI: added, paused, resumed, edited or deleted. Runs the
 * schedule already made for the future go when it is paused or deleted; the others' stay. A
 * redeploy (`baton deploy`) sets the whole list again from baton.yaml, as in Prefect.
 */
export async function addSchedule(database: BatonDatabase, id: string, spec: ScheduleSpec, now: Date): Promise<Deployment> {
  return database.transaction(async (trx) => {
    const row = await readDeploymentRow(trx, id, { forUpdate: database.kind === "postgresql" });
    // Checked now, as a run's are: a schedule with a wrong parameter would make runs that all fail.
    checkScheduleParameters(
      { enforce: Boolean(row.enforce_parameter_schema), schema: row.parameter_schema ? fromJson(row.parameter_schema) : null, parameters: fromJson(row.parameters) },
      [{ parameters: spec.parameters, path: "body.parameters" }],
    );
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

async function assertSchedule(trx: Kysely<Database>, row: { id: string; flow_name: string; name: string }, scheduleId: string): Promise<{ active: number }> {
  const found = await trx.selectFrom("deployment_schedules").select(["id", "active"]).where("id", "=", scheduleId).where("deployment_id", "=", row.id).executeTakeFirst();
  if (!found) throw new DeploymentScheduleNotFound(`${row.flow_name}/${row.name}`, scheduleId);
  return { active: Number(found.active) };
}

/**
 * Switch one schedule on or off and/or give it a new expression. A new expression or a pause
 * deletes the future runs the schedule made (the next fill makes them again from the new
 * expression); a resume or a new expression resets its horizon so the fill starts from now.
 */
export async function updateSchedule(database: BatonDatabase, id: string, scheduleId: string, change: DeploymentScheduleUpdate, now: Date): Promise<{ deployment: Deployment; active: boolean }> {
  return database.transaction(async (trx) => {
    const row = await readDeploymentRow(trx, id, { forUpdate: database.kind === "postgresql" });
    const current = await assertSchedule(trx, row, scheduleId);
    const stamp = now.toISOString();
    const active = change.active ?? Boolean(current.active);
    await trx
      .updateTable("deployment_schedules")
      .set({ active: active ? 1 : 0, ...(change.schedule ? { schedule: toJson(change.schedule satisfies StoredSpec) } : {}) })
      .where("id", "=", scheduleId)
      .execute();
    if (change.schedule || !active) await deleteFutureScheduledRuns(trx, id, now, [scheduleId]);
    else await resetHorizons(trx, id, [scheduleId]);
    await trx.updateTable("deployments").set({ updated: stamp }).where("id", "=", id).execute();
    return { deployment: await withSchedules(trx, { ...row, updated: stamp }), active };
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
