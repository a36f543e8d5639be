import type { Kysely, Selectable } from "kysely";
import type { ApiKeyTable, Database } from "../../db/schema.js";

/**
 * How long a key's row, once looked up, answers for it. Every request of a worker, a served flow
 * or a polling client authenticates, and on PostgreSQL each lookup is a round trip of its own. A
 * revocation through this server forgets every cached row at once; one made through another
 * replica is seen within this time, as a run token's claim checks are (run-tokens/run-lookup.ts).
 * Expiry is checked against the clock at each use, cached or not.
 */
export const KEY_CACHE_MS = 1_000;
const KEY_CACHE_LIMIT = 10_000;

type KeyRow = Selectable<ApiKeyTable>;
const caches = new WeakMap<Kysely<Database>, Map<string, { at: number; row: KeyRow }>>();

function cacheOf(db: Kysely<Database>): Map<string, { at: number; row: KeyRow }> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
}

/** The row of the key with this hash, from the cache when it was read less than KEY_CACHE_MS ago. */
export async function cachedKeyByHash(db: Kysely<Database>, keyHash: string, lookup: () => Promise<KeyRow | undefined>): Promise<KeyRow | undefined> {
  const cache = cacheOf(db);
  const hit = cache.get(keyHash);
  const now = Date.now();
  if (hit && now - hit.at < KEY_CACHE_MS) return hit.row;
  const row = await lookup();
  // Unknown hashes are not kept: a stream of wrong keys must not fill the cache.
  if (row) {
    if (cache.size >= KEY_CACHE_LIMIT) cache.clear();
    cache.set(keyHash, { at: now, row });
  } else cache.delete(keyHash);
  return row;
}

/** A key changed here (revoked): no cached row may answer for any key any more. */
export function forgetCachedKeys(db: Kysely<Database>): void {
  caches.get(db)?.clear();
}
