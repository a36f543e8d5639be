import { randomUUID } from "node:crypto";
import type { StoredResultBlob } from "@baton/core";
import type { Kysely } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import type { Database } from "../db/schema.js";
import { ResultNotFound, ResultReplaced, ResultTooLarge } from "./errors.js";

/** Default limit per stored result (its bytes, before base64). */
export const DEFAULT_RESULT_MAX_BYTES = 16 * 1024 * 1024;

/** Bytes per row of result_chunks: big enough that 64 MiB is 64 inserts, small enough to hold a few at once. */
export const RESULT_CHUNK_BYTES = 1024 * 1024;

export interface StoredResultHead {
  owner: string;
  key: string;
  size: number;
  created: string;
}

/** A stored result's size and its bytes, read one chunk at a time as the consumer pulls them. */
export async function openStoredResult(db: Kysely<Database>, owner: string, key: string): Promise<StoredResultHead & { chunks: AsyncIterable<Buffer> }> {
  const row = await db.selectFrom("results").select(["blob", "size", "created"]).where("owner", "=", owner).where("key", "=", key).executeTakeFirst();
  if (!row) throw new ResultNotFound(owner, key);
  return { owner, key, size: row.size, created: row.created, chunks: readChunks(db, owner, key, row.blob, row.size) };
}

async function* readChunks(db: Kysely<Database>, owner: string, key: string, blob: string, size: number): AsyncGenerator<Buffer> {
  let sent = 0;
  for (let seq = 0; sent < size; seq++) {
    const chunk = await db.selectFrom("result_chunks").select("content").where("blob", "=", blob).where("seq", "=", seq).executeTakeFirst();
    // Replaced (or deleted) while it was being read: its old chunks are gone. Never half of it.
    if (!chunk) throw new ResultReplaced(owner, key);
    const content = Buffer.isBuffer(chunk.content) ? chunk.content : Buffer.from(chunk.content);
    sent += content.length;
    yield content;
  }
}

/** The JSON form (`content_base64`) older clients read: the whole result in memory, as it always was. */
export async function readStoredResult(db: Kysely<Database>, owner: string, key: string): Promise<StoredResultBlob> {
  const { size, created, chunks } = await openStoredResult(db, owner, key);
  const pieces: Buffer[] = [];
  for await (const chunk of chunks) pieces.push(chunk);
  return { owner, key, size, content_base64: Buffer.concat(pieces).toString("base64"), created };
}

/**
 * Stores (or replaces) a result from bytes in hand, inside the caller's transaction (a resume's
 * input, the JSON form of a write). The last writer wins, as two pods writing the same cache key
 * write the same value.
 */
export async function writeStoredResult(trx: Kysely<Database>, owner: string, key: string, content: Buffer, maxBytes: number, now: Date): Promise<StoredResultHead> {
  if (content.length > maxBytes) throw new ResultTooLarge(content.length, maxBytes);
  const blob = randomUUID();
  for (let seq = 0, at = 0; at < content.length; seq++, at += RESULT_CHUNK_BYTES) {
    await trx.insertInto("result_chunks").values({ blob, seq, content: content.subarray(at, at + RESULT_CHUNK_BYTES) }).execute();
  }
  return publish(trx, { owner, key, size: content.length, created: now.toISOString() }, blob);
}

/**
 * Stores (or replaces) a result streamed in: each chunk of about 1 MiB is written as it arrives
 * (under a blob no row names yet, outside any transaction, so a slow upload holds no lock), and
 * the row is pointed at it at the end. Past `maxBytes` it stops reading and removes what it
 * wrote: nothing partial is ever stored.
 */
export async function writeStoredResultStream(database: BatonDatabase, owner: string, key: string, source: AsyncIterable<Uint8Array>, maxBytes: number, now: Date): Promise<StoredResultHead> {
  const blob = randomUUID();
  await database.db.insertInto("result_uploads").values({ blob, started: now.toISOString() }).execute();
  let size = 0;
  let seq = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    const content = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await database.db.insertInto("result_chunks").values({ blob, seq: seq++, content }).execute();
  };
  try {
    for await (const piece of source) {
      size += piece.length;
      if (size > maxBytes) throw new ResultTooLarge(size, maxBytes, "over", "body");
      pending.push(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
      pendingBytes += piece.length;
      while (pendingBytes >= RESULT_CHUNK_BYTES) {
        const all = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
        pending = [all.subarray(0, RESULT_CHUNK_BYTES)];
        pendingBytes = RESULT_CHUNK_BYTES;
        const rest = all.subarray(RESULT_CHUNK_BYTES);
        await flush();
        if (rest.length > 0) (pending = [rest]), (pendingBytes = rest.length);
      }
    }
    if (pendingBytes > 0) await flush();
    return await database.transaction(async (trx) => {
      await trx.deleteFrom("result_uploads").where("blob", "=", blob).execute();
      return publish(trx, { owner, key, size, created: now.toISOString() }, blob);
    });
  } catch (error) {
    await forgetUploads(database, [blob]);
    throw error;
  }
}

async function forgetUploads(database: BatonDatabase, blobs: readonly string[]): Promise<void> {
  await database.transaction(async (trx) => {
    await trx.deleteFrom("result_chunks").where("blob", "in", blobs).execute();
    await trx.deleteFrom("result_uploads").where("blob", "in", blobs).execute();
  });
}

/** Streamed writes that have not finished by this long after they started were cut off (a crashed server or client). */
export const ABANDONED_UPLOAD_MS = 24 * 3_600_000;

/** Removes the chunks of streamed writes started before `now` - ABANDONED_UPLOAD_MS and never published; returns how many writes. */
export async function sweepAbandonedUploads(database: BatonDatabase, now: Date, limit = 100): Promise<number> {
  const cutoff = new Date(now.getTime() - ABANDONED_UPLOAD_MS).toISOString();
  const rows = await database.db.selectFrom("result_uploads").select("blob").where("started", "<", cutoff).limit(limit).execute();
  if (rows.length > 0) await forgetUploads(database, rows.map((r) => r.blob));
  return rows.length;
}

/** Points the row at its new blob and drops the old one's chunks, in the caller's transaction. */
async function publish(trx: Kysely<Database>, head: StoredResultHead, blob: string): Promise<StoredResultHead> {
  const old = await trx.selectFrom("results").select("blob").where("owner", "=", head.owner).where("key", "=", head.key).executeTakeFirst();
  await trx
    .insertInto("results")
    .values({ ...head, blob })
    .onConflict((oc) => oc.columns(["owner", "key"]).doUpdateSet({ blob, size: head.size, created: head.created }))
    .execute();
  if (old) await trx.deleteFrom("result_chunks").where("blob", "=", old.blob).execute();
  return head;
}

/** Deletes the results of these owners (flow runs being deleted or pruned) and their chunks. */
export async function deleteStoredResults(trx: Kysely<Database>, owners: readonly string[]): Promise<number> {
  if (owners.length === 0) return 0;
  await trx
    .deleteFrom("result_chunks")
    .where("blob", "in", (eb) => eb.selectFrom("results").select("blob").where("owner", "in", owners))
    .execute();
  const deleted = await trx.deleteFrom("results").where("owner", "in", owners).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
