import { NotFoundError, ValidationError, type Page } from "@baton/core";
import type { Kysely, Selectable } from "kysely";
import { decodeCursor, pageFrom } from "../db/pagination.js";
import { fromJson, toJson } from "../db/rows.js";
import type { Database, VariableTable } from "../db/schema.js";

export class VariableNotFound extends NotFoundError {
  override readonly code = "VariableNotFound";
  constructor(readonly variable: string) {
    super(`VariableNotFound: no variable "${variable}"; set it with baton variable set ${variable} VALUE`);
  }
}

export interface Variable {
  name: string;
  value: unknown;
  created: string;
  updated: string;
}

const toVariable = (row: Selectable<VariableTable>): Variable => ({ name: row.name, value: fromJson(row.value), created: row.created, updated: row.updated });

export async function setVariable(db: Kysely<Database>, name: string, value: unknown, now: Date): Promise<Variable> {
  if (value === undefined) throw new ValidationError("ValidationError: body.value: a variable needs a value (any JSON: text, number, list, object, or null)", [{ path: "body.value", message: "required" }]);
  const stamp = now.toISOString();
  const row = await db
    .insertInto("variables")
    .values({ name, value: toJson(value), created: stamp, updated: stamp })
    .onConflict((oc) => oc.column("name").doUpdateSet({ value: toJson(value), updated: stamp }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toVariable(row);
}

export async function readVariable(db: Kysely<Database>, name: string): Promise<Variable> {
  const row = await db.selectFrom("variables").selectAll().where("name", "=", name).executeTakeFirst();
  if (!row) throw new VariableNotFound(name);
  return toVariable(row);
}

export async function listVariables(db: Kysely<Database>, query: { limit: number; cursor?: string | undefined }): Promise<Page<Variable>> {
  let q = db.selectFrom("variables").selectAll();
  if (query.cursor) q = q.where("name", ">", decodeCursor(query.cursor, 1)[0]!);
  const rows = await q.orderBy("name", "asc").limit(query.limit + 1).execute();
  return pageFrom(rows, query.limit, toVariable, (r) => [r.name]);
}

export async function deleteVariable(db: Kysely<Database>, name: string): Promise<void> {
  const result = await db.deleteFrom("variables").where("name", "=", name).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new VariableNotFound(name);
}
