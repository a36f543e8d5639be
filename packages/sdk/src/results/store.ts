import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { randomBytes } from "node:crypto";
import { deserialize, serialize } from "node:v8";

/**
 * Results on disk keep the real value, not its JSON shadow: v8's structured serialization
 * round-trips Dates, Maps, Sets, BigInts and typed arrays, which a cached call must return
 * exactly as the first call did.
 */
export interface StoredResult {
  value: unknown;
  /** Epoch milliseconds after which the entry is ignored; null: never. */
  expiresAt: number | null;
}

export async function writeResult(path: string, entry: StoredResult): Promise<void> {
  const bytes = serialize(entry);
  await mkdir(dirname(path), { recursive: true });
  // Write then rename: a reader (a concurrent run, a retried one) never sees half a file.
  const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

export async function readResult(path: string, now = Date.now()): Promise<StoredResult | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const entry = deserialize(bytes) as StoredResult;
  if (entry.expiresAt !== null && entry.expiresAt <= now) return undefined;
  return entry;
}
