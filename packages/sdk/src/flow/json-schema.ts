import { z } from "zod";
import type { StandardSchemaV1 } from "./standard-schema.js";

/**
 * The JSON Schema of a flow's parameters (what a caller may pass: fields with defaults are
 * optional), for forms and `baton deploy` checks. Only zod 4 schemas can say it; others give undefined.
 */
export function parameterJsonSchema(schema: StandardSchemaV1 | undefined): Record<string, unknown> | undefined {
  if (!schema || schema["~standard"].vendor !== "zod" || !("_zod" in schema)) return undefined;
  try {
    return z.toJSONSchema(schema as unknown as z.ZodType, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
