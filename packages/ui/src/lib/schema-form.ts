/**
 * A form from a flow's parameter JSON Schema (what zod's toJSONSchema writes, draft 2020-12):
 * the fields to draw, their starting values, and the parameters the values make, with every
 * problem explained per field before anything is sent. Pure: no React here.
 */
type Json = Record<string, unknown>;

export type FieldKind = "string" | "number" | "integer" | "boolean" | "enum" | "object" | "json";

export interface FieldSpec {
  /** Dotted path from the root: `target.table`. Also the key of the field's value. */
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
  children?: FieldSpec[];
}

/** What an input holds: text for most kinds, a boolean for a checkbox. */
export type FormValues = Record<string, string | boolean>;

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

function kindOf(schema: Json): FieldKind {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return "enum";
  if (schema.const !== undefined) return "enum";
  switch (schema.type) {
    case "string":
      return "string";
    case "number":
      return "number";
    case "integer":
      return "integer";
    case "boolean":
      return "boolean";
    case "object":
      return isObject(schema.properties) && Object.keys(schema.properties).length > 0 ? "object" : "json";
    default:
      return "json";
  }
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function fieldsOf(objectSchema: Json, root: Json, prefix: string): FieldSpec[] {
  const properties = isObject(objectSchema.properties) ? objectSchema.properties : {};
  const required = new Set(Array.isArray(objectSchema.required) ? objectSchema.required.filter((r): r is string => typeof r === "string") : []);
  return Object.entries(properties).map(([name, raw]) => {
    const { schema, nullable } = unwrapNullable(isObject(raw) ? raw : {}, root);
    const path = prefix ? `${prefix}.${name}` : name;
    const kind = kindOf(schema);
    const spec: FieldSpec = {
      path,
      name,
      label: str(schema.title) ?? name,
      kind,
      required: required.has(name),
      nullable,
      hasDefault: "default" in schema,
    };
    if (spec.hasDefault) spec.default = schema.default;
    const description = str(schema.description);
    if (description) spec.description = description;
    if (kind === "enum") spec.enumValues = Array.isArray(schema.enum) ? schema.enum : [schema.const];
    for (const key of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength"] as const) {
      const value = num(schema[key]);
      // zod writes the safe-integer bounds for every int: no help to a person.
      if (value !== undefined && Math.abs(value) < Number.MAX_SAFE_INTEGER) spec[key] = value;
    }
    const pattern = str(schema.pattern);
    const format = str(schema.format);
    if (format) spec.format = format;
    else if (pattern) spec.pattern = pattern;
    if (kind === "object") spec.children = fieldsOf(schema, root, path);
    return spec;
  });
}

/** The fields of a parameter schema; a schema that is not an object of properties gives none. */
export function fieldsFromSchema(schema: unknown): FieldSpec[] {
  if (!isObject(schema)) return [];
  return fieldsOf(resolveRef(schema, schema), schema, "");
}

function getPath(value: unknown, path: string): unknown {
  let node = value;
  for (const part of path.split(".")) node = isObject(node) ? node[part] : undefined;
  return node;
}

function toText(field: FieldSpec, value: unknown): string | boolean {
  if (field.kind === "boolean") return value === true;
  if (value === undefined || value === null) return "";
  if (field.kind === "enum") return JSON.stringify(value);
  if (field.kind === "json") return JSON.stringify(value, null, 2);
  return String(value);
}

/** Starting values: the given parameters (a deployment's, or the run being run again), else the schema's defaults. */
export function initialValues(fields: FieldSpec[], parameters: Record<string, unknown> = {}): FormValues {
  const out: FormValues = {};
  const walk = (list: FieldSpec[]) => {
    for (const field of list) {
      if (field.children) {
        walk(field.children);
        continue;
      }
      const given = getPath(parameters, field.path);
      out[field.path] = toText(field, given !== undefined ? given : field.default);
    }
  };
  walk(fields);
  return out;
}

export interface FormResult {
  parameters: Record<string, unknown>;
  /** Path -> what is wrong there and how to fix it. Empty when the form can be sent. */
  errors: Record<string, string>;
}

const MISSING = Symbol("missing");

function parseField(field: FieldSpec, raw: string | boolean | undefined, errors: Record<string, string>): unknown {
  if (field.kind === "boolean") return raw === true;
  const text = typeof raw === "string" ? raw : "";
  if (text.trim() === "" && field.kind !== "string") {
    if (field.required && !field.hasDefault) errors[field.path] = "required: enter a value";
    return MISSING;
  }
  if (text === "" && field.kind === "string") {
    if (field.required && !field.hasDefault) errors[field.path] = "required: enter a value";
    return MISSING;
  }
  switch (field.kind) {
    case "enum":
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    case "json":
      try {
        return JSON.parse(text) as unknown;
      } catch (e) {
        errors[field.path] = `not valid JSON (${e instanceof Error ? e.message : String(e)}); write e.g. ["a", "b"] or {"key": 1}`;
        return MISSING;
      }
    case "number":
    case "integer": {
      const n = Number(text.trim());
      if (!Number.isFinite(n)) errors[field.path] = `"${text}" is not a number`;
      else if (field.kind === "integer" && !Number.isInteger(n)) errors[field.path] = `must be a whole number, not ${text}`;
      else if (field.minimum !== undefined && n < field.minimum) errors[field.path] = `must be at least ${field.minimum}`;
      else if (field.maximum !== undefined && n > field.maximum) errors[field.path] = `must be at most ${field.maximum}`;
      else if (field.exclusiveMinimum !== undefined && n <= field.exclusiveMinimum) errors[field.path] = `must be more than ${field.exclusiveMinimum}`;
      else if (field.exclusiveMaximum !== undefined && n >= field.exclusiveMaximum) errors[field.path] = `must be less than ${field.exclusiveMaximum}`;
      return n;
    }
    default: {
      if (field.minLength !== undefined && text.length < field.minLength) errors[field.path] = `must be at least ${field.minLength} characters`;
      else if (field.maxLength !== undefined && text.length > field.maxLength) errors[field.path] = `must be at most ${field.maxLength} characters`;
      else if (field.format === "date-time" && Number.isNaN(Date.parse(text))) errors[field.path] = "must be a date and time: 2026-11-30T14:05:00Z";
      else if (field.format === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(text)) errors[field.path] = "must be a date: 2026-11-30";
      else if (field.format === "email" && !/^[^@\s]+@[^@\s]+$/.test(text)) errors[field.path] = "must be an email address";
      else if (field.pattern) {
        try {
          if (!new RegExp(field.pattern, "u").test(text)) errors[field.path] = `must match ${field.pattern}`;
        } catch {
          // A pattern this browser cannot compile: the server still checks it.
        }
      }
      return text;
    }
  }
}

function collect(fields: FieldSpec[], values: FormValues, errors: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.children) {
      const nested = collect(field.children, values, errors);
      if (Object.keys(nested).length > 0 || field.required) out[field.name] = nested;
      continue;
    }
    const value = parseField(field, values[field.path], errors);
    if (value !== MISSING) out[field.name] = value;
  }
  return out;
}

/** The parameters the form's values make, and what is wrong with them. */
export function formToParameters(fields: FieldSpec[], values: FormValues): FormResult {
  const errors: Record<string, string> = {};
  const parameters = collect(fields, values, errors);
  return { parameters, errors };
}
