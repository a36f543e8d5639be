import { ConflictError, NotFoundError, ValidationError, uuidv7, type Automation, type AutomationCreateSchema, type AutomationFiring, type Page } from "@baton/core";
import type { Kysely } from "kysely";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import { decodeCursor, pageFrom } from "../db/pagination.js";
import { fromJson, toJson } from "../db/rows.js";
import type { AutomationFiringTable, AutomationTable, Database } from "../db/schema.js";
import { watchersChanged } from "../run-events/record.js";

export class AutomationNotFound extends NotFoundError {
  override readonly code = "AutomationNotFound";
  constructor(name: string) {
    super(`AutomationNotFound: no automation named "${name}"; list them with baton automation ls`);
  }
}

export class AutomationExists extends ConflictError {
  override readonly code = "AutomationExists";
  constructor(name: string) {
    super(`AutomationExists: an automation named "${name}" exists already; delete it first with baton automation delete ${name}, or pick another name`);
  }
}

export function toAutomation(row: AutomationTable): Automation {
  return { id: row.id, name: row.name, enabled: row.enabled === 1, trigger: fromJson(row.trigger), actions: fromJson(row.actions), deployment_id: row.deployment_id, created: row.created, updated: row.updated };
}

type Input = z.output<typeof AutomationCreateSchema>;

function missing(path: string, message: string, fix: string): ValidationError {
  return new ValidationError(`${path}: ${message}; ${fix}`, [{ path, message }]);
}

async function deploymentExists(db: Kysely<Database>, ref: string): Promise<boolean> {
  const [flow, name] = ref.split("/") as [string, string];
  return Boolean(await db.selectFrom("deployments").select("id").where("flow_name", "=", flow).where("name", "=", name).executeTakeFirst());
}

async function poolExists(db: Kysely<Database>, name: string): Promise<boolean> {
  return Boolean(await db.selectFrom("work_pools").select("id").where("name", "=", name).executeTakeFirst());
}

const NO_DEPLOYMENT = "deploy it first (baton deploy), or check the name with baton deployment ls";
const NO_POOL = "create it first (baton work-pool create), or check the name with baton work-pool ls";

/** What a trigger names must exist when it is made: a typo fails now, not at 3 a.m. when it fires. `at` is where the trigger's fields are. */
export async function checkTriggerReferences(db: Kysely<Database>, trigger: Input["trigger"], at: string): Promise<void> {
  if (trigger.type === "no_completed_run_by" && !(await deploymentExists(db, trigger.deployment))) throw missing(`${at}.deployment`, `no deployment "${trigger.deployment}"`, NO_DEPLOYMENT);
  if (trigger.type === "work_pool_offline") {
    for (const [index, pool] of trigger.work_pools.entries()) if (!(await poolExists(db, pool))) throw missing(`${at}.work_pools.${index}`, `no work pool "${pool}"`, NO_POOL);
  }
}

/** Likewise what the actions name. */
async function checkActionReferences(db: Kysely<Database>, actions: Input["actions"]): Promise<void> {
  for (const [index, action] of actions.entries()) {
    if (action.type === "notify") {
      const rule = await db.selectFrom("notification_rules").select("id").where("name", "=", action.rule).executeTakeFirst();
      if (!rule) throw missing(`body.actions.${index}.rule`, `no notification rule named "${action.rule}"`, `create it first with baton notification create ${action.rule} ...`);
    } else if ("deployment" in action) {
      if (!(await deploymentExists(db, action.deployment))) throw missing(`body.actions.${index}.deployment`, `no deployment "${action.deployment}"`, NO_DEPLOYMENT);
    } else if ("work_pool" in action) {
      if (!(await poolExists(db, action.work_pool))) throw missing(`body.actions.${index}.work_pool`, `no work pool "${action.work_pool}"`, NO_POOL);
    }
  }
}

export async function createAutomation(database: BatonDatabase, input: Input, now: Date): Promise<Automation> {
  await checkTriggerReferences(database.db, input.trigger, "body.trigger");
  await checkActionReferences(database.db, input.actions);
  const stamp = now.toISOString();
  const row: AutomationTable = { id: uuidv7(now.getTime()), name: input.name, enabled: input.enabled ? 1 : 0, trigger_type: input.trigger.type, trigger: toJson(input.trigger), actions: toJson(input.actions), deployment_id: null, created: stamp, updated: stamp };
  const inserted = await database.db.insertInto("automations").values(row).onConflict((oc) => oc.column("name").doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw new AutomationExists(input.name);
  watchersChanged(database);
  return toAutomation(row);
}

export async function listAutomations(db: Kysely<Database>, query: { limit: number; cursor?: string | undefined }): Promise<Page<Automation>> {
  let q = db.selectFrom("automations").selectAll();
  if (query.cursor) q = q.where("name", ">", decodeCursor(query.cursor, 1)[0]!);
  const rows = await q.orderBy("name", "asc").limit(query.limit + 1).execute();
  return pageFrom(rows, query.limit, toAutomation, (r) => [r.name]);
}

export async function readAutomation(db: Kysely<Database>, name: string): Promise<Automation> {
  const row = await db.selectFrom("automations").selectAll().where("name", "=", name).executeTakeFirst();
  if (!row) throw new AutomationNotFound(name);
  return toAutomation(row);
}

export async function setAutomationEnabled(database: BatonDatabase, name: string, enabled: boolean, now: Date): Promise<Automation> {
  const row = await database.db.updateTable("automations").set({ enabled: enabled ? 1 : 0, updated: now.toISOString() }).where("name", "=", name).returningAll().executeTakeFirst();
  if (!row) throw new AutomationNotFound(name);
  watchersChanged(database);
  return toAutomation(row);
}

export async function deleteAutomation(database: BatonDatabase, name: string): Promise<void> {
  const result = await database.db.deleteFrom("automations").where("name", "=", name).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new AutomationNotFound(name);
  watchersChanged(database);
}

export function toFiring(row: AutomationFiringTable): AutomationFiring {
  return {
    id: row.id,
    automation_id: row.automation_id,
    automation_name: row.automation_name,
    flow_run_id: row.flow_run_id,
    event: row.event,
    status: row.status as AutomationFiring["status"],
    attempts: row.attempts,
    last_error: row.last_error,
    created: row.created,
    done_at: row.done_at,
  };
}

export async function listFirings(db: Kysely<Database>, query: { limit: number; cursor?: string | undefined; automation?: string | undefined; flow_run_id?: string | undefined }): Promise<Page<AutomationFiring>> {
  let q = db.selectFrom("automation_firings").selectAll();
  if (query.automation) q = q.where("automation_name", "=", query.automation);
  if (query.flow_run_id) q = q.where("flow_run_id", "=", query.flow_run_id);
  if (query.cursor) {
    const [created, id] = decodeCursor(query.cursor, 2) as [string, string];
    q = q.where((eb) => eb.or([eb("created", "<", created), eb.and([eb("created", "=", created), eb("id", "<", id)])]));
  }
  const rows = await q.orderBy("created", "desc").orderBy("id", "desc").limit(query.limit + 1).execute();
  return pageFrom(rows, query.limit, toFiring, (r) => [r.created, r.id]);
}
