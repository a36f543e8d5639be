import { MAX_INLINE_RESULT_BYTES, toJsonSafe } from "@baton/core/runtime";

/**
 * The result as recorded on the COMPLETED state: its JSON form, or a summary when it is
 * too big to keep inline. The caller always gets the real value; this is for people reading runs.
 */
export function recordedResult(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const type = typeof value;
  if (type === "number" || type === "boolean") return toJsonSafe(value);
  const safe = toJsonSafe(value);
  const text = JSON.stringify(safe);
  if (text === undefined) return null;
  // Length in UTF-16 units is a lower bound of the UTF-8 size; check bytes only near the limit.
  if (text.length * 3 < MAX_INLINE_RESULT_BYTES) return safe;
  const bytes = Buffer.byteLength(text);
  if (bytes <= MAX_INLINE_RESULT_BYTES) return safe;
  return {
    summary: `${describe(value)} of ${bytes} bytes as JSON, larger than the ${MAX_INLINE_RESULT_BYTES} bytes kept inline`,
    bytes,
    preview: text.slice(0, 1000),
  };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (typeof value === "string") return `a string of ${value.length} characters`;
  if (value && typeof value === "object") return `a ${value.constructor?.name ?? "object"}`;
  return `a ${typeof value}`;
}
