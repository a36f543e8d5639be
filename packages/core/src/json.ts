import type { SerializedError } from "./states/index.js";

/** The largest result kept inline on a state; bigger results are summarized. */
export const MAX_INLINE_RESULT_BYTES = 256 * 1024;

/**
 * Make a value safe to send as JSON: BigInt as text, Dates as ISO strings, Maps and Sets as
 * arrays, cycles cut. Results are recorded for people to read; the engine keeps the real value.
 */
export function toJsonSafe(value: unknown): unknown {
  const seen = new WeakSet<object>();
  const walk = (v: unknown): unknown => {
    if (v === undefined) return null;
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "function" || typeof v === "symbol") return `[${typeof v}]`;
    if (v === null || typeof v !== "object") return typeof v === "number" && !Number.isFinite(v) ? String(v) : v;
    if (v instanceof Date) return v.toISOString();
    if (seen.has(v)) return "[Circular]";
    seen.add(v);
    if (v instanceof Map) return [...v.entries()].map(([k, x]) => [walk(k), walk(x)]);
    if (v instanceof Set) return [...v].map(walk);
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Error) return serializeError(v);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = walk(x);
    return out;
  };
  return walk(value);
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    return { name: error.name || "Error", message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  }
  return { name: "Error", message: typeof error === "string" ? error : JSON.stringify(toJsonSafe(error)) };
}
