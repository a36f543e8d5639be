import { NotFoundError, type Page, type Secret } from "@baton/core";
import type { Kysely } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import { decodeCursor, pageFrom } from "../db/pagination.js";
import type { Database } from "../db/schema.js";
import { open, seal } from "./cipher.js";

export class SecretNotFound extends NotFoundError {
  override readonly code = "SecretNotFound";
  constructor(readonly secret: string) {
    super(`SecretNotFound: no secret "${secret}"; set it with baton secret set ${secret}`);
  }
}

export async function setSecret(database: BatonDatabase, key: Buffer, name: string, value: string, now: Date): Promise<Secret> {
  const sealed = seal(key, name, value);
  const stamp = now.toISOString();
  const row = await database.db
    .insertInto("secrets")
    .values({ name, ...sealed, created: stamp, updated: stamp })
    .onConflict((oc) => oc.column("name").doUpdateSet({ ...sealed, updated: stamp }))
    .returning(["name", "created", "updated"])
    .executeTakeFirstOrThrow();
  return row;
}

/** Names and dates: the value never leaves through a list. */
export async function listSecrets(db: Kysely<Database>, query: { limit: number; cursor?: string | undefined }): Promise<Page<Secret>> {
  let q = db.selectFrom("secrets").select(["name", "created", "updated"]);
  if (query.cursor) q = q.where("name", ">", decodeCursor(query.cursor, 1)[0]!);
  const rows = await q.orderBy("name", "asc").limit(query.limit + 1).execute();
  return pageFrom(rows, query.limit, (r) => r, (r) => [r.name]);
}

export async function readSecretValue(db: Kysely<Database>, key: Buffer, name: string): Promise<{ name: string; value: string }> {
  const row = await db.selectFrom("secrets").selectAll().where("name", "=", name).executeTakeFirst();
  if (!row) throw new SecretNotFound(name);
  return { name, value: open(key, name, row) };
}

export async function deleteSecret(db: Kysely<Database>, name: string): Promise<void> {
  const result = await db.deleteFrom("secrets").where("name", "=", name).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new SecretNotFound(name);
}
