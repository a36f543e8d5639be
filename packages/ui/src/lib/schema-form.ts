/**
 * The fields of a form built from a flow's parameter JSON Schema (what zod's toJSONSchema writes,
 * draft 2020-12): what to draw for each parameter, down to the items of a list and the values of a
 * free-form object. What the form holds and the parameters it makes: schema-draft.ts and
 * schema-values.ts. Pure: no React here.
 */
type Json = Record<string, unknown>;

/**
 * `any`: a value of no declared type (a free-form object's values), typed as text and read as
 * JSON when it parses. `json`: a schema the editors cannot draw (unions, tuples, deep nesting),
 * edited as JSON text.
 */
export type FieldKind = "string" | "number" | "integer" | "boolean" | "enum" | "object" | "array" | "dict" | "any" | "json";

export interface FieldSpec {
  /** Dotted path from the root (`target.table`); an array's items end in `[]`. */
  path: string;
  name: string;
  label: string;
  description?: string;
  kind: FieldKind;
  required: boolean;
  nullable: boolean;
  hasDefault: boolean;
  default?: unknown;
  enumValues?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  /** An object's declared properties. */
  children?: FieldSpec[];
  /** An array's items. */
  items?: FieldSpec;
  minItems?: number;
  maxItems?: number;
  /** The values of a free-form object (a dict). */
  values?: FieldSpec;
}

/** Below three levels of fieldsets a list or an object is edited as JSON: nested editors stop helping there. */
const MAX_DEPTH = 3;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function resolveRef(schema: Json, root: Json): Json {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/")) return schema;
  let node: unknown = root;
  for (const part of ref.slice(2).split("/")) node = isObject(node) ? node[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
  return isObject(node) ? { ...node, ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$ref")) } : schema;
}

/** `{ anyOf: [X, { type: "null" }] }` and `type: [X, "null"]` are X that may be null. */
function unwrapNullable(schema: Json, root: Json): { schema: Json; nullable: boolean } {
  const s = resolveRef(schema, root);
  const union = (s.anyOf ?? s.oneOf) as unknown;
  if (Array.isArray(union)) {
    const rest = union.filter((u) => !(isObject(u) && u.type === "null"));
    if (rest.length === 1 && rest.length < union.length && isObject(rest[0])) {
      const inner = unwrapNullable(rest[0], root).schema;
      return { schema: { ...inner, ...(s.default !== undefined ? { default: s.default } : {}), ...(s.description ? { description: s.description } : {}) }, nullable: true };
    }
  }
  if (Array.isArray(s.type)) {
    const types = s.type.filter((t) => t !== "null");
    if (types.length === 1) return { schema: { ...s, type: types[0] }, nullable: types.length < s.type.length };
  }
  return { schema: s, nullable: false };
}

const hasProperties = (schema: Json) => isObject(schema.properties) && Object.keys(schema.properties).length > 0;

function kindOf(schema: Json, depth: number): FieldKind {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return "enum";
  if (schema.const !== undefined) return "enum";
  switch (schema.type) {
    case "string":
    case "number":
    case "integer":
    case "boolean":
      return schema.type;
    case "object":
      if (depth >= MAX_DEPTH) return "json";
      if (hasProperties(schema)) return "object";
      // `additionalProperties: false` with nothing declared: only `{}` fits, no editor needed.
      return schema.additionalProperties === false ? "json" : "dict";
    case "array":
      // A tuple (`prefixItems`) has a type per place: JSON says that better than rows.
      return depth >= MAX_DEPTH || schema.prefixItems !== undefined ? "json" : "array";
    case undefined:
      // No type, no union: any value at all (`{}`, `z.unknown()`).
      return Object.keys(schema).every((k) => ["description", "title", "default", "$schema"].includes(k)) ? "any" : "json";
    default:
      return "json";
  }
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function specOf(raw: unknown, root: Json, name: string, path: string, required: boolean, depth: number): FieldSpec {
  const { schema, nullable } = unwrapNullable(isObject(raw) ? raw : {}, root);
  let kind = kindOf(schema, depth);
  const spec: FieldSpec = { path, name, label: str(schema.title) ?? name, kind, required, nullable, hasDefault: "default" in schema };
  if (spec.hasDefault) spec.default = schema.default;
  const description = str(schema.description);
  if (description) spec.description = description;
  if (kind === "enum") spec.enumValues = Array.isArray(schema.enum) ? schema.enum : [schema.const];
  for (const key of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems"] as const) {
    const value = num(schema[key]);
    // zod writes the safe-integer bounds for every int: no help to a person.
    if (value !== undefined && Math.abs(value) < Number.MAX_SAFE_INTEGER) spec[key] = value;
  }
  const pattern = str(schema.pattern);
  const format = str(schema.format);
  if (format) spec.format = format;
  else if (pattern) spec.pattern = pattern;
  if (kind === "object") spec.children = fieldsOf(schema, root, path, depth + 1);
  if (kind === "array") {
    const items = specOf(schema.items ?? {}, root, name, `${path}[]`, true, depth + 1);
    // Items of a union type are JSON one by one: the whole list as JSON reads better.
    if (items.kind === "json") kind = spec.kind = "json";
    else spec.items = { ...items, label: spec.label, description: undefined };
  }
  if (kind === "dict") {
    const values = specOf(isObject(schema.additionalProperties) ? schema.additionalProperties : {}, root, name, `${path}{}`, true, depth + 1);
    if (values.kind === "json") spec.kind = "json";
    else spec.values = { ...values, label: spec.label, description: undefined };
  }
  return spec;
}

function fieldsOf(objectSchema: Json, root: Json, prefix: string, depth: number): FieldSpec[] {
  const properties = isObject(objectSchema.properties) ? objectSchema.properties : {};
  const required = new Set(Array.isArray(objectSchema.required) ? objectSchema.required.filter((r): r is string => typeof r === "string") : []);
  return Object.entries(properties).map(([name, raw]) => specOf(raw, root, name, childPath(prefix, name), required.has(name), depth));
}

/** The fields of a parameter schema; a schema that is not an object of properties gives none. */
export function fieldsFromSchema(schema: unknown): FieldSpec[] {
  if (!isObject(schema)) return [];
  return fieldsOf(resolveRef(schema, schema), schema, "", 0);
}

/** `items[2].name`, `env.LOG_LEVEL`, `env["a b"]`: how a value's place reads in a message. */
export function childPath(parent: string, key: string): string {
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

export const itemPath = (parent: string, index: number) => `${parent}[${index}]`;

/** The path that names all the parameters at once (the form as JSON). */
export const ROOT_PATH = "parameters";

/** The whole form as one object field: for switching all of it to JSON and back. */
export function rootSpec(fields: FieldSpec[]): FieldSpec {
  return { path: "", name: "", label: "Parameters", kind: "object", required: true, nullable: false, hasDefault: false, children: fields };
}

/** A field the person sees by its own name, where "required" means something: not a list's item nor a free-form object's value. */
export const showsRequired = (spec: FieldSpec) => spec.required && !spec.hasDefault && /[^\]}]$/.test(spec.path);

/**
 * Where each row of a free-form object sits: `env.KEY` by its key; `env[1]` by its place when it
 * has no key yet or repeats an earlier row's key (so each row's problem shows under that row).
 */
export function entryPaths(parent: string, keys: string[]): string[] {
  const seen = new Set<string>();
  return keys.map((raw, i) => {
    const key = raw.trim();
    if (!key || seen.has(key)) return itemPath(parent, i);
    seen.add(key);
    return childPath(parent, key);
  });
}
