import { closeParameterSchema } from "@baton/core/runtime";
import type { StandardSchemaV1 } from "./standard-schema.js";

const cache = new WeakMap<object, Record<string, unknown> | undefined>();

/**
 * The JSON Schema of a flow's parameters (what a caller may pass: fields with defaults are
 * optional), for forms and `baton deploy` checks, with plain objects closed to keys they do not
 * declare (see closeParameterSchema). Only zod 4 schemas can say it (with their own
 * toJSONSchema(), so "baton" does not load zod itself); others give undefined.
 */
export function parameterJsonSchema(schema: StandardSchemaV1 | undefined): Record<string, unknown> | undefined {
  if (!schema || schema["~standard"].vendor !== "zod" || !("_zod" in schema)) return undefined;
  const toJSONSchema = (schema as { toJSONSchema?: unknown }).toJSONSchema;
  if (typeof toJSONSchema !== "function") return undefined;
  if (cache.has(schema)) return cache.get(schema);
  let json: Record<string, unknown> | undefined;
  try {
    json = closeParameterSchema(toJSONSchema.call(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>);
  } catch {
    json = undefined;
  }
  cache.set(schema, json);
  return json;
}
