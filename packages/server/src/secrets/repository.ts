import { ANY, NotFoundError, ValidationError, type Page, type Secret, type SecretScope } from "@baton/core";
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

export interface SecretInput {
  value?: string | undefined;
  work_pools?: string[] | undefined;
  deployments?: string[] | undefined;
}

export class SecretValueMissing extends ValidationError {
  override readonly code = "SecretValueMissing";
}

/** The scope a write sets: one dimension given makes the other `*`; neither keeps `current` (a new secret: nobody). */
function scopeOf(input: SecretInput, current: SecretScope | undefined): SecretScope {
  if (input.work_pools === undefined && input.deployments === undefined) return current ?? { work_pools: [], deployments: [] };
  return { work_pools: [...new Set(input.work_pools ?? [ANY])], deployments: [...new Set(input.deployments ?? [ANY])] };
}

type SecretListRow = { name: string; scope_work_pools: string; scope_deployments: string; created: string; updated: string };

export function toSecret(row: SecretListRow): Secret {
  return { name: row.name, ...parseScope(row), created: row.created, updated: row.updated };
}

export function parseScope(row: { scope_work_pools: string; scope_deployments: string }): SecretScope {
  return { work_pools: JSON.parse(row.scope_work_pools) as string[], deployments: JSON.parse(row.scope_deployments) as string[] };
}

const LIST_COLUMNS = ["name", "scope_work_pools", "scope_deployments", "created", "updated"] as const;

export async function setSecret(database: BatonDatabase, key: Buffer, name: string, input: SecretInput, now: Date): Promise<Secret> {
  const stamp = now.toISOString();
  return database.transaction(async (trx) => {
    const existing = await trx.selectFrom("secrets").select(LIST_COLUMNS).where("name", "=", name).executeTakeFirst();
    const scope = scopeOf(input, existing ? parseScope(existing) : undefined);
    const columns = { scope_work_pools: JSON.stringify(scope.work_pools), scope_deployments: JSON.stringify(scope.deployments), updated: stamp };
    if (existing) {
      const sealed = input.value === undefined ? {} : seal(key, name, input.value);
      const row = await trx.updateTable("secrets").set({ ...sealed, ...columns }).where("name", "=", name).returning(LIST_COLUMNS).executeTakeFirstOrThrow();
      return toSecret(row);
    }
    if (input.value === undefined) throw new SecretValueMissing(`SecretValueMissing: secret "${name}" does not exist yet, so it needs a value as well as a scope; set it with baton secret set ${name}`);
    const row = await trx
      .insertInto("secrets")
      .values({ name, ...seal(key, name, input.value), ...columns, created: stamp })
      .returning(LIST_COLUMNS)
      .executeTakeFirstOrThrow();
    return toSecret(row);
  });
}

/** Names, scopes and dates: the value never leaves through a list. */
export async function listSecrets(db: Kysely<Database>, query: { limit: number; cursor?: string | undefined }): Promise<Page<Secret>> {
  let q = db.selectFrom("secrets").select(LIST_COLUMNS);
  if (query.cursor) q = q.where("name", ">", decodeCursor(query.cursor, 1)[0]!);
  const rows = await q.orderBy("name", "asc").limit(query.limit + 1).execute();
  return pageFrom(rows, query.limit, toSecret, (r) => [r.name]);
}

/** The scopes of these secrets, for those that exist. */
export async function secretScopes(db: Kysely<Database>, names: Iterable<string>): Promise<Map<string, SecretScope>> {
  const all = [...new Set(names)];
  const scopes = new Map<string, SecretScope>();
  if (all.length === 0) return scopes;
  const rows = await db.selectFrom("secrets").select(["name", "scope_work_pools", "scope_deployments"]).where("name", "in", all).execute();
  for (const row of rows) scopes.set(row.name, parseScope(row));
  return scopes;
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
