import type { StoredResultBlob } from "@baton/core";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { ResultNotFound, ResultTooLarge } from "./errors.js";

/** Default limit per stored result (its bytes, before base64). */
export const DEFAULT_RESULT_MAX_BYTES = 16 * 1024 * 1024;

export async function readStoredResult(db: Kysely<Database>, owner: string, key: string): Promise<StoredResultBlob> {
  const row = await db.selectFrom("results").selectAll().where("owner", "=", owner).where("key", "=", key).executeTakeFirst();
  if (!row) throw new ResultNotFound(owner, key);
  const content = Buffer.isBuffer(row.content) ? row.content : Buffer.from(row.content);
  return { owner, key, size: row.size, content_base64: content.toString("base64"), created: row.created };
}

/** Stores (or replaces) a result: the last writer wins, as two pods writing the same cache key write the same value. */
export async function writeStoredResult(db: Kysely<Database>, owner: string, key: string, contentBase64: string, maxBytes: number, now: Date): Promise<{ owner: string; key: string; size: number }> {
  const content = Buffer.from(contentBase64, "base64");
  if (content.length > maxBytes) throw new ResultTooLarge(content.length, maxBytes);
  const row = { owner, key, content, size: content.length, created: now.toISOString() };
  await db
    .insertInto("results")
    .values(row)
    .onConflict((oc) => oc.columns(["owner", "key"]).doUpdateSet({ content, size: row.size, created: row.created }))
    .execute();
  return { owner, key, size: row.size };
}
