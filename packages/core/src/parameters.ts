import type { FieldIssue } from "./errors.js";

type JsonSchema = Record<string, unknown>;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * A parameter schema whose plain objects refuse keys they do not declare. zod's plain
 * `z.object` drops unknown keys silently, which turns a typo (`--param limt=5`) into the
 * default value; `z.looseObject`/`.passthrough()`/`.catchall()` already say what extra keys
 * may be and are left alone. Members of `allOf` stay open: each sees only part of the object.
 */
export function closeParameterSchema(schema: JsonSchema): JsonSchema {
  const close = (node: unknown, inAllOf: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => close(n, false));
    if (!isObject(node)) return node;
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "properties" || key === "$defs" || key === "definitions" || key === "patternProperties") {
        out[key] = isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, close(v, false)])) : value;
      } else if (key === "allOf") out[key] = Array.isArray(value) ? value.map((v) => close(v, true)) : value;
      else if (key === "items" || key === "prefixItems" || key === "anyOf" || key === "oneOf" || key === "additionalProperties" || key === "not") out[key] = close(value, false);
      else out[key] = value;
    }
    if (!inAllOf && out.type === "object" && isObject(out.properties) && !("additionalProperties" in out) && !("patternProperties" in out)) out.additionalProperties = false;
    return out;
  };
  return close(schema, false) as JsonSchema;
}

/**
 * Keys of `value` that a closed object of `schema` does not declare, each naming the keys it
 * takes, at any depth the schema describes with plain properties.
 */
export function unknownParameterIssues(schema: JsonSchema, value: unknown, path = "parameters"): FieldIssue[] {
  if (!isObject(value)) return [];
  if (Array.isArray(schema.items) || (isObject(schema.items) && Array.isArray(value))) return [];
  const properties = isObject(schema.properties) ? schema.properties : undefined;
  if (!properties) return [];
  const issues: FieldIssue[] = [];
  for (const [key, item] of Object.entries(value)) {
    const child = properties[key];
    if (child === undefined) {
      if (schema.additionalProperties === false) {
        const known = Object.keys(properties);
        issues.push({ path: `${path}.${key}`, message: `"${key}" is not a parameter here; ${known.length ? `the parameters are ${known.join(", ")}` : "it takes none"}` });
      }
      continue;
    }
    if (isObject(child)) issues.push(...unknownParameterIssues(child, item, `${path}.${key}`));
  }
  return issues;
}
