import { join } from "node:path";
import { readResult, writeResult, type StoredResult } from "./store.js";
import { sha256 } from "./keys.js";

/**
 * Cached task results, by task name and the key its `cacheKeyFn` returned: in memory for
 * this process, on disk under BATON_RESULTS_DIR/cache for the next ones.
 */
const memory = new Map<string, StoredResult>();

function entryId(taskName: string, key: string): string {
  return sha256(`${taskName}\0${key}`);
}

export async function readCached(resultsDir: string, taskName: string, key: string): Promise<StoredResult | undefined> {
  const id = entryId(taskName, key);
  const now = Date.now();
  const inMemory = memory.get(id);
  if (inMemory && (inMemory.expiresAt === null || inMemory.expiresAt > now)) return inMemory;
  const onDisk = await readResult(join(resultsDir, "cache", `${id}.bin`), now);
  if (onDisk) memory.set(id, onDisk);
  return onDisk;
}

export async function writeCached(resultsDir: string, taskName: string, key: string, entry: StoredResult): Promise<void> {
  const id = entryId(taskName, key);
  memory.set(id, entry);
  await writeResult(join(resultsDir, "cache", `${id}.bin`), entry);
}

/** Forget what this process cached in memory (the disk keeps it); for tests of the disk path. */
export function clearMemoryCache(): void {
  memory.clear();
}
