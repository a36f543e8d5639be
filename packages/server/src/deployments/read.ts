import type { Deployment, DeploymentListQuerySchema, Page } from "@baton/core";
import type { Kysely } from "kysely";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import { jsonArrayContains } from "../db/filters.js";
import { decodeCursor, pageFrom } from "../db/pagination.js";
import type { Database } from "../db/schema.js";
import { DeploymentNotFound } from "./errors.js";
import { toDeployment, type DeploymentRow, type ScheduleRow } from "./rows.js";

export async function readDeploymentRow(db: Kysely<Database>, id: string, options: { forUpdate?: boolean } = {}): Promise<DeploymentRow> {
  const row = await db
    .selectFrom("deployments")
    .selectAll()
    .where("id", "=", id)
    .$if(options.forUpdate === true, (q) => q.forNoKeyUpdate())
    .executeTakeFirst();
  if (!row) throw new DeploymentNotFound(id);
  return row;
}

export async function scheduleRowsOf(db: Kysely<Database>, deploymentIds: readonly string[]): Promise<Map<string, ScheduleRow[]>> {
  const out = new Map<string, ScheduleRow[]>(deploymentIds.map((id) => [id, []]));
  if (deploymentIds.length === 0) return out;
  const rows = await db.selectFrom("deployment_schedules").selectAll().where("deployment_id", "in", [...deploymentIds]).orderBy("position", "asc").execute();
  for (const row of rows) out.get(row.deployment_id)?.push(row);
  return out;
}

export async function withSchedules(db: Kysely<Database>, row: DeploymentRow): Promise<Deployment> {
  return toDeployment(row, (await scheduleRowsOf(db, [row.id])).get(row.id) ?? []);
}

export async function readDeployment(db: Kysely<Database>, id: string): Promise<Deployment> {
  return withSchedules(db, await readDeploymentRow(db, id));
}

export async function readDeploymentByName(db: Kysely<Database>, flow: string, name: string): Promise<Deployment> {
  const row = await db.selectFrom("deployments").selectAll().where("flow_name", "=", flow).where("name", "=", name).executeTakeFirst();
  if (!row) throw new DeploymentNotFound(`${flow}/${name}`);
  return withSchedules(db, row);
}

export async function listDeployments(database: BatonDatabase, query: z.output<typeof DeploymentListQuerySchema>): Promise<Page<Deployment>> {
  let q = database.db.selectFrom("deployments").selectAll();
  if (query.flow_name) q = q.where("flow_name", "=", query.flow_name);
  if (query.name) q = q.where("name", "=", query.name);
  // The prefix is hex digits and '-' only (IdPrefixSchema): no LIKE wildcard gets through.
  if (query.id_prefix) q = q.where("id", "like", `${query.id_prefix}%`);
  if (query.work_pool_name) q = q.where("work_pool_name", "=", query.work_pool_name);
  if (query.tag) q = q.where(jsonArrayContains(database.kind, "tags", query.tag));
  if (query.cursor) {
    const [flow, name] = decodeCursor(query.cursor, 2) as [string, string];
    q = q.where((eb) => eb.or([eb("flow_name", ">", flow), eb.and([eb("flow_name", "=", flow), eb("name", ">", name)])]));
  }
  const rows = await q.orderBy("flow_name", "asc").orderBy("name", "asc").limit(query.limit + 1).execute();
  const schedules = await scheduleRowsOf(database.db, rows.map((r) => r.id));
  return pageFrom(rows, query.limit, (row) => toDeployment(row, schedules.get(row.id) ?? []), (row) => [row.flow_name, row.name]);
}
