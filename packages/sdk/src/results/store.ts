import { deserialize } from "node:v8";
import { BUILTIN_SERIALIZERS, jsonSerializer, type ResultSerializer } from "./serializer.js";
import { joinChunks } from "./json-chunks.js";
import type { ResultStorage } from "./storage/types.js";

/** A result as kept in storage: the value and when it stops counting. */
export interface StoredResult {
  value: unknown;
  /** Epoch milliseconds after which the entry is ignored; null: never. */
  expiresAt: number | null;
}

/**
 * Stored bytes: a header line (`BATON-RESULT 1 {"serializer":"json","expiresAt":null}`) then the
 * serializer's payload. Files written before the header existed are v8 structured data of the
 * whole entry (they start with v8's version byte 0xFF) and are still read.
 */
const MAGIC = "BATON-RESULT 1 ";
const V8_VERSION_TAG = 0xff;

const headerOf = (entry: StoredResult, serializer: ResultSerializer): Buffer => Buffer.from(`${MAGIC}${JSON.stringify({ serializer: serializer.name, expiresAt: entry.expiresAt })}\n`);
const toBuffer = (piece: Uint8Array | string): Buffer => (typeof piece === "string" ? Buffer.from(piece) : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));

/** The entry's bytes a piece at a time, as the serializer makes them (the whole payload at once when it cannot). */
async function* entryPieces(entry: StoredResult, serializer: ResultSerializer): AsyncGenerator<Buffer> {
  yield headerOf(entry, serializer);
  if (!serializer.serializeChunks) return yield toBuffer(serializer.serialize(entry.value));
  for await (const piece of serializer.serializeChunks(entry.value)) yield toBuffer(piece);
}

/**
 * Stores an entry: streamed when the storage can take a stream (each piece written before the
 * next is made, so a large result is not held a second time as bytes), else as whole pieces.
 */
export async function writeEntry(storage: ResultStorage, key: string, entry: StoredResult, serializer: ResultSerializer = jsonSerializer): Promise<number> {
  if (storage.writeStream) return storage.writeStream(key, entryPieces(entry, serializer));
  return storage.write(key, encodeEntry(entry, serializer));
}

/**
 * Reads an entry (undefined: none, or expired), streamed when the storage can: the payload goes
 * to the serializer as it arrives. `size`: its stored bytes, when known.
 */
export async function readEntry(storage: ResultStorage, key: string, serializer?: ResultSerializer, now = Date.now()): Promise<(StoredResult & { size: number | undefined }) | undefined> {
  if (!storage.openRead) {
    const bytes = await storage.read(key);
    const entry = bytes ? decodeEntry(bytes, now, serializer) : undefined;
    return entry && { ...entry, size: bytes!.length };
  }
  const opened = await storage.openRead(key);
  if (!opened) return undefined;
  const iterator = opened.chunks[Symbol.asyncIterator]();
  // The header line, and what came with it.
  let head: Buffer = Buffer.alloc(0);
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
    if (head[0] === V8_VERSION_TAG || head.indexOf(0x0a) >= 0) break;
  }
  const rest: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => iterator };
  const end = head.indexOf(0x0a);
  if (head[0] === V8_VERSION_TAG || end < 0) {
    // Written before the header existed (or not a result at all): decodeEntry reads or refuses it whole.
    const bytes = await joinChunks(prepend(head, rest), undefined);
    const entry = decodeEntry(bytes, now, serializer);
    return entry && { ...entry, size: bytes.length };
  }
  const header = parseHeader(head.subarray(0, end).toString("utf8"));
  if (header.expiresAt !== null && header.expiresAt <= now) return undefined;
  const use = pickSerializer(header.serializer, serializer);
  const payload = prepend(head.subarray(end + 1), rest);
  const size = opened.size === undefined ? undefined : opened.size - end - 1;
  const value = use.deserializeChunks ? await use.deserializeChunks(payload, size) : use.deserialize(await joinChunks(payload, size));
  return { value, expiresAt: header.expiresAt, size: opened.size };
}

async function* prepend(first: Buffer, rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  if (first.length > 0) yield first;
  for await (const chunk of rest) yield Buffer.isBuffer(chunk) ? chunk : toBuffer(chunk);
}

function parseHeader(line: string): { serializer: string; expiresAt: number | null } {
  if (!line.startsWith(MAGIC)) throw new Error("not a Baton result (no BATON-RESULT header)");
  return JSON.parse(line.slice(MAGIC.length)) as { serializer: string; expiresAt: number | null };
}

function pickSerializer(name: string, serializer: ResultSerializer | undefined): ResultSerializer {
  const use = serializer?.name === name ? serializer : BUILTIN_SERIALIZERS.get(name);
  if (!use) throw new UnknownResultSerializer(`this result was written with the serializer "${name}"; pass it as resultSerializer to the task or flow that reads it`);
  return use;
}

export function encodeEntry(entry: StoredResult, serializer: ResultSerializer = jsonSerializer): Buffer[] {
  const payload = serializer.serialize(entry.value);
  const header = headerOf(entry, serializer);
  // Two pieces, never concatenated: a large payload is not copied once more to be written.
  return [header, toBuffer(payload)];
}

export class UnknownResultSerializer extends Error {
  override readonly name = "UnknownResultSerializer";
}

/** The entry, or undefined when it has expired. `serializers`: the custom ones the reader knows. */
export function decodeEntry(bytes: Buffer, now = Date.now(), serializer?: ResultSerializer): StoredResult | undefined {
  let entry: StoredResult;
  if (bytes[0] === V8_VERSION_TAG) {
    entry = deserialize(bytes) as StoredResult;
  } else {
    const end = bytes.indexOf(0x0a);
    if (end < 0) throw new Error("not a Baton result (no BATON-RESULT header)");
    const header = parseHeader(bytes.subarray(0, end).toString("utf8"));
    if (header.expiresAt !== null && header.expiresAt <= now) return undefined;
    const use = pickSerializer(header.serializer, serializer);
    entry = { value: use.deserialize(bytes.subarray(end + 1)), expiresAt: header.expiresAt };
  }
  if (entry.expiresAt !== null && entry.expiresAt <= now) return undefined;
  return entry;
}
