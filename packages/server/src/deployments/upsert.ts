import { assertParameterSchemaUsable, checkScheduleParameters } from "./parameters.js";
import { uuidv7, type Deployment, type DeploymentUpsertSchema } from "@baton/core";
import type { Kysely } from "kysely";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import { toJson } from "../db/rows.js";
import type { Database, DeploymentTable } from "../db/schema.js";
import { upsertFlow } from "../flows/repository.js";
import { ensureWorkQueue } from "../work-pools/queues.js";
import { readWorkPoolRow } from "../work-pools/repository.js";
import { assertJobVariablesAllowed } from "../work-pools/job-variables.js";
import { deleteFutureScheduledRuns } from "./future-runs.js";
import { scheduleRowsOf, withSchedules } from "./read.js";
import type { DeploymentRow, ScheduleRow, StoredSpec } from "./rows.js";

type UpsertInput = z.output<typeof DeploymentUpsertSchema>;
export type UpsertOutcome = "created" | "updated" | "unchanged";

/** The columns a deployment's definition sets: what decides "unchanged". */
type Definition = Omit<DeploymentTable, "id" | "flow_id" | "created" | "updated">;

function definitionOf(input: UpsertInput): Definition {
  return {
    flow_name: input.flow_name,
    name: input.name,
    entrypoint: input.entrypoint,
    description: input.description ?? null,
    version: input.version ?? null,
    tags: toJson(input.tags),
    parameters: toJson(input.parameters),
    parameter_schema: input.parameter_schema === null ? null : toJson(input.parameter_schema),
    enforce_parameter_schema: input.enforce_parameter_schema ? 1 : 0,
    pull_steps: toJson(input.pull_steps),
    paused: input.paused ? 1 : 0,
    concurrency_limit: input.concurrency_limit ?? null,
    work_pool_name: input.work_pool_name ?? null,
    work_queue_name: input.work_queue_name ?? null,
    job_variables: toJson(input.job_variables),
    source: input.source ? toJson(input.source) : null,
  };
}

/** A schedule as stored, for comparing: the spec, its active flag and parameters. */
const scheduleKey = (s: { schedule: string; active: number; parameters: string }) => `${s.schedule}|${s.active}|${s.parameters}`;

function storedSchedules(input: UpsertInput) {
  return input.schedules.map(({ active, parameters, ...spec }) => ({ schedule: toJson(spec satisfies StoredSpec), active: active ? 1 : 0, parameters: toJson(parameters) }));
}

const sameDefinition = (row: DeploymentRow, def: Definition): boolean =>
  (Object.keys(def) as (keyof Definition)[]).every((key) => (row[key] === null ? null : String(row[key])) === (def[key] === null ? null : String(def[key])));

/** The pool must exist and declare every job variable the deployment sets; its queue is made on first use. */
async function checkWorkPool(trx: Kysely<Database>, input: UpsertInput, now: Date): Promise<void> {
  if (!input.work_pool_name) return;
  const pool = await readWorkPoolRow(trx, input.work_pool_name);
  assertJobVariablesAllowed(pool, input.job_variables, "body.job_variables");
  if (input.work_queue_name) await ensureWorkQueue(trx, pool, input.work_queue_name, now);
}

/**
 * Create or update a deployment by flow name and name. The same definition twice writes
 * nothing ("unchanged"). A change keeps the ids of schedules that did not change and deletes
 * the future runs the schedules made, so the scheduler makes them again from the new
 * definition; so does a pause.
 */
export async function upsertDeployment(database: BatonDatabase, input: UpsertInput, now: Date): Promise<{ deployment: Deployment; outcome: UpsertOutcome }> {
  if (input.parameter_schema) assertParameterSchemaUsable(input.parameter_schema);
  checkScheduleParameters(
    { enforce: input.enforce_parameter_schema, schema: input.parameter_schema ?? null, parameters: input.parameters },
    input.schedules.map((s, index) => ({ parameters: s.parameters, path: `body.schedules[${index}].parameters` })),
  );
  return database.transaction(async (trx) => {
    await checkWorkPool(trx, input, now);
    const def = definitionOf(input);
    const wanted = storedSchedules(input);
    const existing = await trx
      .selectFrom("deployments")
      .selectAll()
      .where("flow_name", "=", input.flow_name)
      .where("name", "=", input.name)
      .$if(database.kind === "postgresql", (q) => q.forNoKeyUpdate())
      .executeTakeFirst();
    const stamp = now.toISOString();
    if (!existing) {
      const flow = await upsertFlow(trx, { name: input.flow_name }, now);
      const row: DeploymentRow = { id: uuidv7(now.getTime()), flow_id: flow.id, ...def, created: stamp, updated: stamp };
      await trx.insertInto("deployments").values(row).execute();
      await insertSchedules(trx, row.id, wanted.map((s, position) => ({ ...s, position, id: uuidv7(now.getTime()) })), stamp);
      return { deployment: await withSchedules(trx, row), outcome: "created" };
    }
    const current = (await scheduleRowsOf(trx, [existing.id])).get(existing.id) ?? [];
    if (sameDefinition(existing, def) && current.length === wanted.length && current.every((s, i) => scheduleKey(s) === scheduleKey(wanted[i]!))) {
      return { deployment: await withSchedules(trx, existing), outcome: "unchanged" };
    }
    await trx.updateTable("deployments").set({ ...def, updated: stamp }).where("id", "=", existing.id).execute();
    await replaceSchedules(trx, existing.id, current, wanted, now);
    await deleteFutureScheduledRuns(trx, existing.id, now);
    return { deployment: await withSchedules(trx, { ...existing, ...def, updated: stamp }), outcome: "updated" };
  });
}

type NewSchedule = { id: string; position: number; schedule: string; active: number; parameters: string };

async function insertSchedules(trx: Kysely<Database>, deploymentId: string, schedules: NewSchedule[], stamp: string): Promise<void> {
  if (schedules.length === 0) return;
  await trx
    .insertInto("deployment_schedules")
    .values(schedules.map((s) => ({ ...s, deployment_id: deploymentId, created: stamp })))
    .execute();
}

/** A schedule that is still wanted keeps its id (the keys of its runs stay stable); the others are replaced. */
async function replaceSchedules(trx: Kysely<Database>, deploymentId: string, current: ScheduleRow[], wanted: ReturnType<typeof storedSchedules>, now: Date): Promise<void> {
  const unused = [...current];
  const fresh: NewSchedule[] = [];
  for (const [position, s] of wanted.entries()) {
    const match = unused.findIndex((c) => scheduleKey(c) === scheduleKey(s));
    if (match >= 0) {
      const [kept] = unused.splice(match, 1);
      if (kept!.position !== position) await trx.updateTable("deployment_schedules").set({ position }).where("id", "=", kept!.id).execute();
    } else {
      fresh.push({ ...s, position, id: uuidv7(now.getTime()) });
    }
  }
  if (unused.length > 0) await trx.deleteFrom("deployment_schedules").where("id", "in", unused.map((s) => s.id)).execute();
  await insertSchedules(trx, deploymentId, fresh, now.toISOString());
}
