import { FlowNotFound, uuidv7, type Flow, type Page } from "@baton/core";
import { sql, type Kysely, type Selectable, type SqlBool } from "kysely";
import { decodeCursor, pageFrom } from "../db/pagination.js";
import { fromJson, toJson } from "../db/rows.js";
import type { Database, FlowTable } from "../db/schema.js";

function toFlow(row: Selectable<FlowTable>): Flow {
  return { id: row.id, name: row.name, tags: fromJson(row.tags), created: row.created, updated: row.updated };
}

/** Register a flow by name; the same name again returns the flow registered first. */
export async function upsertFlow(db: Kysely<Database>, input: { name: string; tags?: string[] }, now: Date): Promise<Flow> {
  const stamp = now.toISOString();
  await db
    .insertInto("flows")
    .values({ id: uuidv7(now.getTime()), name: input.name, tags: toJson(input.tags ?? []), created: stamp, updated: stamp })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const row = await db.selectFrom("flows").selectAll().where("name", "=", input.name).executeTakeFirstOrThrow();
  return toFlow(row);
}

export async function readFlow(db: Kysely<Database>, id: string): Promise<Flow> {
  const row = await db.selectFrom("flows").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new FlowNotFound(id);
  return toFlow(row);
}

/** Flows by name; `name` narrows to names containing it. */
export async function listFlows(db: Kysely<Database>, query: { limit: number; cursor?: string | undefined; name?: string | undefined }): Promise<Page<Flow>> {
  let q = db.selectFrom("flows").selectAll();
  if (query.name) {
    const pattern = `%${query.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(sql<SqlBool>`${sql.ref("name")} like ${pattern} escape '\\'`);
  }
  if (query.cursor) q = q.where("name", ">", decodeCursor(query.cursor, 1)[0]!);
  const rows = await q.orderBy("name", "asc").limit(query.limit + 1).execute();
  return pageFrom(rows, query.limit, toFlow, (row) => [row.name]);
}
