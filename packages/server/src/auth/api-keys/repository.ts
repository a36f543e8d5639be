import { API_KEY_PREFIX, ConflictError, NotFoundError, uuidv7, type ApiKey, type ApiKeyCreate, type ApiKeyCreated, type Page } from "@baton/core";
import type { Kysely, Selectable } from "kysely";
import { decodeCursor, pageFrom } from "../../db/pagination.js";
import type { ApiKeyTable, Database } from "../../db/schema.js";
import { randomToken, sha256 } from "../secrets.js";
import { cachedKeyByHash, forgetCachedKeys } from "./cache.js";

/** How much of a key lists show: `bat_` and 8 characters, enough to tell keys apart, useless to guess with. */
const SHOWN_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;

export class ApiKeyNotFound extends NotFoundError {
  override readonly code = "ApiKeyNotFound";
  constructor(readonly key: string) {
    super(`ApiKeyNotFound: no API key named "${key}"; list them with baton api-key ls`);
  }
}

export class ApiKeyExists extends ConflictError {
  override readonly code = "ApiKeyExists";
  constructor(readonly key: string) {
    super(`ApiKeyExists: an API key named "${key}" exists (revoked keys keep their names, so the audit log stays unambiguous); pick another name`);
  }
}

const parseList = (text: string | null): string[] | null => (text === null ? null : (JSON.parse(text) as string[]));

export function toApiKey(row: Selectable<ApiKeyTable>): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    work_pools: parseList(row.work_pools),
    deployments: parseList(row.deployments),
    created: row.created,
    expires: row.expires,
    last_used: row.last_used,
    revoked: row.revoked,
  };
}

/** A new key, `bat_` + 256 random bits, unless `key` is given (the bootstrap key from the environment). */
export function newApiKeyText(): string {
  return `${API_KEY_PREFIX}${randomToken()}`;
}

/** Store a key's hash; the answer holds the key itself, the only time anybody sees it. */
export async function createApiKey(db: Kysely<Database>, input: ApiKeyCreate, now: Date, key: string = newApiKeyText()): Promise<ApiKeyCreated> {
  const existing = await db.selectFrom("api_keys").select("id").where("name", "=", input.name).executeTakeFirst();
  if (existing) throw new ApiKeyExists(input.name);
  const row = await db
    .insertInto("api_keys")
    .values({
      id: uuidv7(now.getTime()),
      name: input.name,
      role: input.role,
      prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
      key_hash: sha256(key),
      work_pools: input.work_pools ? JSON.stringify([...new Set(input.work_pools)]) : null,
      deployments: input.deployments ? JSON.stringify([...new Set(input.deployments)]) : null,
      created: now.toISOString(),
      expires: input.expires_in_seconds === undefined ? null : new Date(now.getTime() + input.expires_in_seconds * 1000).toISOString(),
      last_used: null,
      revoked: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...toApiKey(row), key };
}

export async function listApiKeys(db: Kysely<Database>, query: { limit: number; cursor?: string | undefined }): Promise<Page<ApiKey>> {
  let q = db.selectFrom("api_keys").selectAll();
  if (query.cursor) q = q.where("name", ">", decodeCursor(query.cursor, 1)[0]!);
  const rows = await q.orderBy("name", "asc").limit(query.limit + 1).execute();
  return pageFrom(rows, query.limit, toApiKey, (r) => [r.name]);
}

/** Revoke by name; revoking a revoked key again is not an error (the first time stays recorded). */
export async function revokeApiKey(db: Kysely<Database>, name: string, now: Date): Promise<ApiKey> {
  const row = await db.selectFrom("api_keys").selectAll().where("name", "=", name).executeTakeFirst();
  if (!row) throw new ApiKeyNotFound(name);
  if (row.revoked !== null) return toApiKey(row);
  const updated = await db.updateTable("api_keys").set({ revoked: now.toISOString() }).where("id", "=", row.id).returningAll().executeTakeFirstOrThrow();
  forgetCachedKeys(db);
  // A revoked key's sessions end with it.
  await db.deleteFrom("sessions").where("api_key_id", "=", row.id).execute();
  return toApiKey(updated);
}

/** The key with this hash; a row read in the last KEY_CACHE_MS may answer (cache.ts). */
export async function findApiKeyByHash(db: Kysely<Database>, keyHash: string): Promise<Selectable<ApiKeyTable> | undefined> {
  return cachedKeyByHash(db, keyHash, () => db.selectFrom("api_keys").selectAll().where("key_hash", "=", keyHash).executeTakeFirst());
}

export async function findApiKeyById(db: Kysely<Database>, id: string): Promise<Selectable<ApiKeyTable> | undefined> {
  return db.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Whether any key that still works exists: bootstrap makes one when none does. */
export async function hasUsableApiKey(db: Kysely<Database>, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom("api_keys")
    .select("id")
    .where("revoked", "is", null)
    .where((eb) => eb.or([eb("expires", "is", null), eb("expires", ">", now.toISOString())]))
    .where("role", "=", "admin")
    .executeTakeFirst();
  return row !== undefined;
}

/** A write per request would be a write per poll: last_used moves at most once a minute. */
const LAST_USED_RESOLUTION_MS = 60_000;

export async function touchApiKey(db: Kysely<Database>, row: Selectable<ApiKeyTable>, now: Date): Promise<void> {
  if (row.last_used !== null && now.getTime() - Date.parse(row.last_used) < LAST_USED_RESOLUTION_MS) return;
  await db.updateTable("api_keys").set({ last_used: now.toISOString() }).where("id", "=", row.id).execute();
  // The row may be the cached one (cache.ts): its next use within the minute must not write again.
  row.last_used = now.toISOString();
}
