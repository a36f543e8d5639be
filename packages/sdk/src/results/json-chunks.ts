// The "json" serializer's text a piece at a time: the same bytes as JSON.stringify(encode(value))
// (serializer.ts), without building the tagged copy or the whole text. A long string or buffer is
// written in slices, so no piece is much over PIECE_CHARS, whatever the value holds.

const TAG = "$baton";
/** Text gathered before a piece is handed on: big enough that the storage gets few writes. */
const PIECE_CHARS = 256 * 1024;
/** Bytes of a buffer per base64 slice: a multiple of 3, so the slices' base64 joins into the whole's. */
const BASE64_SLICE = 3 * 64 * 1024;

type Out = Generator<string, void, undefined>;

function* stringText(value: string): Out {
  if (value.length <= PIECE_CHARS) return yield JSON.stringify(value);
  // A surrogate pair cut in two is written as two escapes, which read back as the pair.
  yield '"';
  for (let at = 0; at < value.length; at += PIECE_CHARS) yield JSON.stringify(value.slice(at, at + PIECE_CHARS)).slice(1, -1);
  yield '"';
}

function* tagged(tag: string, inner: () => Out): Out {
  yield `{${JSON.stringify(TAG)}:${JSON.stringify(tag)},"v":`;
  yield* inner();
  yield "}";
}

function* bytesText(tag: string, view: ArrayBufferView): Out {
  const bytes = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  yield* tagged(tag, function* () {
    yield '"';
    for (let at = 0; at < bytes.length; at += BASE64_SLICE) yield bytes.subarray(at, at + BASE64_SLICE).toString("base64");
    yield '"';
  });
}

/** What JSON.stringify leaves out of an object and writes as null in an array (encode keeps them as they are). */
const unwritable = (value: unknown): boolean => typeof value === "function" || typeof value === "symbol";

function* valueText(value: unknown): Out {
  if (value === undefined) return yield `{"${TAG}":"undefined"}`;
  if (typeof value === "bigint") return yield* tagged("BigInt", function* () { yield JSON.stringify(value.toString()); });
  if (typeof value === "number" && !Number.isFinite(value)) return yield* tagged("Number", function* () { yield JSON.stringify(String(value)); });
  if (typeof value === "string") return yield* stringText(value);
  if (value === null || typeof value !== "object") return yield JSON.stringify(value) ?? "null";
  if (value instanceof Date) return yield* tagged("Date", function* () { yield JSON.stringify(value.toISOString()); });
  if (value instanceof Map) return yield* tagged("Map", () => arrayText([...value].map(([k, v]) => new Pair(k, v))));
  if (value instanceof Set) return yield* tagged("Set", () => arrayText([...value]));
  if (ArrayBuffer.isView(value)) return yield* bytesText(Buffer.isBuffer(value) ? "Buffer" : value.constructor.name, value);
  if (value instanceof Pair) return yield* arrayText([value.key, value.value]);
  if (Array.isArray(value)) return yield* arrayText(value);
  if (Object.hasOwn(value, TAG)) return yield* tagged("Object", () => objectText(value as Record<string, unknown>));
  yield* objectText(value as Record<string, unknown>);
}

/** A Map entry, written as the two-element array encode makes of it. */
class Pair {
  constructor(
    readonly key: unknown,
    readonly value: unknown,
  ) {}
}

function* arrayText(items: readonly unknown[]): Out {
  yield "[";
  for (let i = 0; i < items.length; i++) {
    if (i > 0) yield ",";
    if (unwritable(items[i])) yield "null";
    else yield* valueText(items[i]);
  }
  yield "]";
}

function* objectText(record: Record<string, unknown>): Out {
  yield "{";
  let first = true;
  for (const [key, value] of Object.entries(record)) {
    if (unwritable(value)) continue;
    yield `${first ? "" : ","}${JSON.stringify(key)}:`;
    first = false;
    yield* valueText(value);
  }
  yield "}";
}

/** The JSON text of `value` as encoded for storage, in pieces of about PIECE_CHARS. */
export function* jsonChunks(value: unknown): Generator<Buffer, void, undefined> {
  let text = "";
  for (const part of valueText(value)) {
    text += part;
    if (text.length >= PIECE_CHARS) {
      yield Buffer.from(text);
      text = "";
    }
  }
  if (text.length > 0) yield Buffer.from(text);
}

/**
 * The stored bytes joined into one buffer (of the announced size when known: no doubling as it
 * grows), then one string for JSON.parse, the buffer let go first: the text and the value are
 * what is held at the peak, as JSON.parse needs the whole text.
 */
export async function joinChunks(chunks: AsyncIterable<Buffer>, size: number | undefined): Promise<Buffer> {
  if (size === undefined) {
    const all: Buffer[] = [];
    for await (const chunk of chunks) all.push(chunk);
    return all.length === 1 ? all[0]! : Buffer.concat(all);
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for await (const chunk of chunks) {
    if (at + chunk.length > size) throw new Error(`the stored result is longer than the ${size} bytes announced`);
    chunk.copy(out, at);
    at += chunk.length;
  }
  if (at !== size) throw new Error(`the stored result ended after ${at} of ${size} bytes; it was replaced or the connection dropped: read it again`);
  return out;
}
