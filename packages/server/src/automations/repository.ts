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
  return { id: row.id, name: row.name, enabled: row.enabled === 1, trigger: fromJson(row.trigger), actions: fromJson(row.actions), created: row.created, updated: row.updated };
}

/** What an action names must exist when it is made: a typo fails now, not at 3 a.m. when it fires. */
async function checkReferences(db: Kysely<Database>, actions: z.output<typeof AutomationCreateSchema>["actions"]): Promise<void> {
  for (const [index, action] of actions.entries()) {
    if (action.type === "notify") {
      const rule = await db.selectFrom("notification_rules").select("id").where("name", "=", action.rule).executeTakeFirst();
      if (!rule) throw new ValidationError(`body.actions.${index}.rule: no notification rule named "${action.rule}"; create it first with baton notification create ${action.rule} ...`, [{ path: `body.actions.${index}.rule`, message: "no such notification rule" }]);
    } else if (action.type !== "cancel_run") {
      const [flow, name] = action.deployment.split("/") as [string, string];
      const found = await db.selectFrom("deployments").select("id").where("flow_name", "=", flow).where("name", "=", name).executeTakeFirst();
      if (!found) throw new ValidationError(`body.actions.${index}.deployment: no deployment "${action.deployment}"; deploy it first (baton deploy), or check the name with baton deployment ls`, [{ path: `body.actions.${index}.deployment`, message: "no such deployment" }]);
    }
  }
}

export async function createAutomation(database: BatonDatabase, input: z.output<typeof AutomationCreateSchema>, now: Date): Promise<Automation> {
  await checkReferences(database.db, input.actions);
  const stamp = now.toISOString();
  const row: AutomationTable = { id: uuidv7(now.getTime()), name: input.name, enabled: input.enabled ? 1 : 0, trigger_type: input.trigger.type, trigger: toJson(input.trigger), actions: toJson(input.actions), created: stamp, updated: stamp };
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
