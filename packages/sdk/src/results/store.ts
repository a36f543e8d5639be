import { deserialize } from "node:v8";
import { BUILTIN_SERIALIZERS, jsonSerializer, type ResultSerializer } from "./serializer.js";

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

export function encodeEntry(entry: StoredResult, serializer: ResultSerializer = jsonSerializer): Buffer[] {
  const payload = serializer.serialize(entry.value);
  const header = Buffer.from(`${MAGIC}${JSON.stringify({ serializer: serializer.name, expiresAt: entry.expiresAt })}\n`);
  // Two pieces, never concatenated: a large payload is not copied once more to be written.
  return [header, typeof payload === "string" ? Buffer.from(payload) : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)];
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
    const line = bytes.subarray(0, end).toString("utf8");
    if (end < 0 || !line.startsWith(MAGIC)) throw new Error("not a Baton result (no BATON-RESULT header)");
    const header = JSON.parse(line.slice(MAGIC.length)) as { serializer: string; expiresAt: number | null };
    if (header.expiresAt !== null && header.expiresAt <= now) return undefined;
    const use = serializer?.name === header.serializer ? serializer : BUILTIN_SERIALIZERS.get(header.serializer);
    if (!use) throw new UnknownResultSerializer(`this result was written with the serializer "${header.serializer}"; pass it as resultSerializer to the task or flow that reads it`);
    entry = { value: use.deserialize(bytes.subarray(end + 1)), expiresAt: header.expiresAt };
  }
  if (entry.expiresAt !== null && entry.expiresAt <= now) return undefined;
  return entry;
}
