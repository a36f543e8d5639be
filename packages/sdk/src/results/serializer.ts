import { deserialize, serialize } from "node:v8";

export type { ResultSerializer } from "../definition/result-types.js";
import type { ResultSerializer } from "../definition/result-types.js";
import { joinChunks, jsonChunks } from "./json-chunks.js";

const TAG = "$baton";

function encode(value: unknown): unknown {
  if (value === undefined) return { [TAG]: "undefined" };
  if (typeof value === "bigint") return { [TAG]: "BigInt", v: value.toString() };
  if (typeof value === "number" && !Number.isFinite(value)) return { [TAG]: "Number", v: String(value) };
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return { [TAG]: "Date", v: value.toISOString() };
  if (value instanceof Map) return { [TAG]: "Map", v: [...value].map(([k, v]) => [encode(k), encode(v)]) };
  if (value instanceof Set) return { [TAG]: "Set", v: [...value].map(encode) };
  if (ArrayBuffer.isView(value)) return { [TAG]: Buffer.isBuffer(value) ? "Buffer" : value.constructor.name, v: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") };
  if (Array.isArray(value)) return value.map(encode);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = encode(v);
  // An object of the caller's that has our tag as a key is wrapped, so it reads back as itself.
  return Object.hasOwn(value, TAG) ? { [TAG]: "Object", v: out } : out;
}

const TYPED: Record<string, new (buffer: ArrayBufferLike, offset: number, length: number) => unknown> = {
  Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array, Uint8ClampedArray,
};

function decode(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(decode);
  const record = value as Record<string, unknown>;
  const tag = record[TAG];
  if (typeof tag === "string") {
    const v = record.v;
    switch (tag) {
      case "undefined": return undefined;
      case "BigInt": return BigInt(v as string);
      case "Number": return Number(v);
      case "Date": return new Date(v as string);
      case "Map": return new Map((v as [unknown, unknown][]).map(([k, x]) => [decode(k), decode(x)]));
      case "Set": return new Set((v as unknown[]).map(decode));
      case "Buffer": return Buffer.from(v as string, "base64");
      case "Object": return decodeEntries(v as Record<string, unknown>);
      default: {
        const Typed = TYPED[tag];
        if (!Typed) break;
        const bytes = Buffer.from(v as string, "base64");
        const copy = new Uint8Array(bytes).buffer;
        return new Typed(copy, 0, copy.byteLength / ((Typed as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT ?? 1));
      }
    }
  }
  return decodeEntries(record);
}

function decodeEntries(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[k] = decode(v);
  return out;
}

const fromJsonText = (bytes: Buffer): unknown => decode(JSON.parse(bytes.toString("utf8")));

export const jsonSerializer: ResultSerializer = {
  name: "json",
  serialize: (value) => JSON.stringify(encode(value)),
  deserialize: fromJsonText,
  serializeChunks: jsonChunks,
  deserializeChunks: async (chunks, size) => {
    // The bytes are let go before parsing: the text and the value are what the peak holds.
    let bytes: Buffer | undefined = await joinChunks(chunks, size);
    const text = bytes.toString("utf8");
    bytes = undefined;
    return decode(JSON.parse(text));
  },
};

export const v8Serializer: ResultSerializer = {
  name: "v8",
  serialize: (value) => serialize(value),
  deserialize: (bytes) => deserialize(bytes),
};

export const BUILTIN_SERIALIZERS: ReadonlyMap<string, ResultSerializer> = new Map([jsonSerializer, v8Serializer].map((s) => [s.name, s]));
