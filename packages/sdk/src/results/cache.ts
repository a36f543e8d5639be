import { LRUCache } from "lru-cache";
import { readEntry, writeEntry, type StoredResult } from "./store.js";
import { sha256 } from "./keys.js";
import type { ResultSerializer } from "./serializer.js";
import type { ResultStorage } from "./storage/index.js";

/**
 * Cached task results, by task name and the key its `cacheKeyFn` returned: in memory for
 * this process, in the result storage (local disk, the server, S3) for the next ones.
 *
 * The memory layer is bounded: `serve()` and workers run for months, and a Map that kept every
 * result grew without end (expired entries too). It holds at most MEMORY_CACHE_MAX_BYTES of
 * results (their serialized size) and MEMORY_CACHE_MAX_ENTRIES entries, least recently used
 * first out, and drops an entry when it expires. An entry pushed out is still read from storage.
 */
export const MEMORY_CACHE_MAX_BYTES = 64 * 1024 * 1024;
export const MEMORY_CACHE_MAX_ENTRIES = 10_000;

const memory = new LRUCache<string, StoredResult>({
  max: MEMORY_CACHE_MAX_ENTRIES,
  maxSize: MEMORY_CACHE_MAX_BYTES,
  // A result larger than the whole bound is kept in storage only.
  maxEntrySize: MEMORY_CACHE_MAX_BYTES,
  ttlAutopurge: true,
});

/** The entry's name: the same on every pod using the same storage (local: the folder, as before). */
function entryId(storage: ResultStorage, taskName: string, key: string): string {
  return sha256(`${storage.id}\0${taskName}\0${key}`);
}

function remember(id: string, entry: StoredResult, bytes: number, now: number): void {
  const ttl = entry.expiresAt === null ? undefined : entry.expiresAt - now;
  if (ttl !== undefined && ttl <= 0) return;
  // The size is the entry's serialized bytes, known from the write or read that brought it.
  memory.set(id, entry, { size: Math.max(1, bytes), ...(ttl !== undefined ? { ttl } : {}) });
}

export async function readCached(storage: ResultStorage, taskName: string, key: string, serializer?: ResultSerializer): Promise<StoredResult | undefined> {
  const id = entryId(storage, taskName, key);
  const now = Date.now();
  const inMemory = memory.get(id);
  if (inMemory && (inMemory.expiresAt === null || inMemory.expiresAt > now)) return inMemory;
  const read = await readEntry(storage, `cache/${id}`, serializer, now);
  if (!read) return undefined;
  const entry: StoredResult = { value: read.value, expiresAt: read.expiresAt };
  remember(id, entry, read.size ?? 1, now);
  return entry;
}

export async function writeCached(storage: ResultStorage, taskName: string, key: string, entry: StoredResult, serializer?: ResultSerializer): Promise<void> {
  const id = entryId(storage, taskName, key);
  const bytes = await writeEntry(storage, `cache/${id}`, entry, serializer);
  remember(id, entry, bytes, Date.now());
}

/** What the memory layer holds now: entries and their serialized bytes. */
export function memoryCacheUsage(): { entries: number; bytes: number } {
  return { entries: memory.size, bytes: memory.calculatedSize };
}

/** Forget what this process cached in memory (storage keeps it); for tests of the storage path. */
export function clearMemoryCache(): void {
  memory.clear();
}
