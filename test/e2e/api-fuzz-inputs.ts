/**
 * Inputs for the API fuzz test: a seeded generator (a failure reproduces with the seed it
 * prints), values shaped by each route's own JSON Schema, and the values clients get wrong.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonSchema = Record<string, any>;

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.int(0, 15).toString(16)).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

/** `{"a":{"a":...}}` this deep. */
export function deeplyNested(depth: number): Json {
  let value: Json = "bottom";
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** Values of every JSON type that clients send by mistake or on purpose. */
export function nastyValues(): Json[] {
  return [
    null,
    true,
    false,
    0,
    -1,
    1.5,
    -0.000001,
    1e308,
    -1e308,
    2 ** 53 + 1,
    2 ** 31,
    -(2 ** 31) - 1,
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "💥".repeat(500),
    "x".repeat(200_000),
    "__proto__",
    "../../../../etc/passwd",
    "' OR 1=1 --",
    "%s%n%x",
    "{{ baton.secrets.nope }}",
    "1970-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999Z",
    "-271821-04-20T00:00:00Z",
    "2024-02-30T25:61:61Z",
    "NaN",
    [],
    [null],
    [[[[]]]],
    Array.from({ length: 5000 }, () => null),
    {},
    JSON.parse('{"__proto__": {"polluted": true}}') as Json,
    { constructor: { prototype: { polluted: true } } },
    deeplyNested(64),
    deeplyNested(3000),
  ];
}

export const MALFORMED_JSON = ['{"a":', "[", "nul", '{"a":1}}', "{'a': 1}", '{"a": 01}', '{"a": NaN}', "{\"a\": undefined}", '{"a": "\\x00"}', '{"a":1,}', "".padEnd(10, "{")];

export const WRONG_CONTENT_TYPES = [
  { type: "text/plain", payload: '{"name":"x"}' },
  { type: "application/x-www-form-urlencoded", payload: "name=x&value=y" },
  { type: "multipart/form-data; boundary=xyz", payload: '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--xyz--\r\n' },
  { type: "application/xml", payload: "<a>b</a>" },
  { type: "application/json; charset=utf-16", payload: '{"a":1}' },
  { type: "application/octet-stream", payload: "\u0000\u0001\u0002" },
];

const STRING_CANDIDATES = ["fuzz-name", "fuzz_name", "fuzz", "a", "abc123", "flows/etl.ts:etlFlow", "0 * * * *", "Europe/Paris", "process", "main", "0123456789abcdef0123"];

function stringFor(schema: JsonSchema, rng: Rng, key: string | undefined): string {
  if (schema.format === "uuid") return rng.uuid();
  if (schema.format === "date-time") return new Date(Date.UTC(2020 + rng.int(0, 10), rng.int(0, 11), rng.int(1, 28), rng.int(0, 23))).toISOString();
  if (schema.format === "email") return "fuzz@example.com";
  if (schema.format === "uri" || schema.format === "url") return "https://example.com/fuzz";
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 40;
  const fits = (value: string) => value.length >= min && value.length <= max && (!schema.pattern || safeTest(schema.pattern, value));
  const named = key ? [key.replace(/[^a-z]/gi, "-"), `fuzz-${key}`] : [];
  const start = rng.int(0, STRING_CANDIDATES.length - 1);
  for (const candidate of [...named, ...STRING_CANDIDATES.slice(start), ...STRING_CANDIDATES.slice(0, start)]) if (fits(candidate)) return candidate;
  return "f".repeat(Math.max(min, 1));
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, "u").test(value);
  } catch {
    return true;
  }
}

function numberFor(schema: JsonSchema, rng: Rng, integer: boolean): number {
  const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : 0.5) : 0);
  const high = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : 0.5) : low + 100);
  const value = low + rng.next() * Math.min(high - low, 1000);
  return integer ? Math.ceil(value) : value;
}

/**
 * A value the schema accepts, or close to it: enough to get past validation into the
 * handlers and repositories, where the bugs that answer 500 live. Keys named in `fixed` take
 * those values (the claim's wait_seconds stays 0: the fuzz must not long-poll).
 */
export function sample(schema: JsonSchema, rng: Rng, fixed: Record<string, Json>, key?: string, depth = 0): Json {
  if (key !== undefined && Object.hasOwn(fixed, key)) return fixed[key]!;
  if (depth > 8 || schema.$ref) return {};
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return rng.pick(schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union) && union.length > 0) return sample(rng.pick(union), rng, fixed, key, depth + 1);
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return sample(Object.assign({}, ...schema.allOf), rng, fixed, key, depth + 1);
  const type = Array.isArray(schema.type) ? rng.pick(schema.type.filter((t: string) => t !== "null").length > 0 ? schema.type.filter((t: string) => t !== "null") : schema.type) : schema.type;
  switch (type) {
    case "null":
      return null;
    case "boolean":
      return rng.chance(0.5);
    case "integer":
      return numberFor(schema, rng, true);
    case "number":
      return numberFor(schema, rng, false);
    case "string":
      return stringFor(schema, rng, key);
    case "array": {
      const count = Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, rng.int(0, 3)));
      if (Array.isArray(schema.prefixItems)) return schema.prefixItems.map((item: JsonSchema) => sample(item, rng, fixed, undefined, depth + 1));
      return Array.from({ length: count }, () => sample(schema.items ?? {}, rng, fixed, undefined, depth + 1));
    }
    case "object":
    case undefined: {
      if (type === undefined && !schema.properties) return rng.pick(["fuzz", 1, true, null, {}]);
      const out: Record<string, Json> = {};
      const required = new Set<string>(schema.required ?? []);
      for (const [name, property] of Object.entries<JsonSchema>(schema.properties ?? {})) {
        if (required.has(name) || rng.chance(0.6)) out[name] = sample(property, rng, fixed, name, depth + 1);
      }
      if (schema.additionalProperties && typeof schema.additionalProperties === "object" && !schema.properties && rng.chance(0.7)) {
        out.fuzz_key = sample(schema.additionalProperties, rng, fixed, "fuzz_key", depth + 1);
      }
      return out;
    }
    default:
      return null;
  }
}

/** The value with one place in it (the root, a key, an item) replaced by a nasty value, or a key added. */
export function mutate(value: Json, rng: Rng): Json {
  const nasty = rng.pick(nastyValues());
  if (value === null || typeof value !== "object" || rng.chance(0.1)) return nasty;
  const copy: any = Array.isArray(value) ? [...value] : { ...value };
  const keys = Object.keys(copy);
  if (keys.length === 0 || rng.chance(0.15)) {
    if (Array.isArray(copy)) copy.push(nasty);
    else copy[rng.pick(["unknown_key", "__proto__", "constructor", "id", "created"])] = nasty;
    return copy;
  }
  const chosen = rng.pick(keys);
  copy[chosen] = rng.chance(0.5) ? mutate(copy[chosen], rng) : nasty;
  return copy;
}

/** Query values a parser must refuse calmly. */
export const BAD_QUERY_VALUES = ["", "abc", "-1", "0", "1e309", "99999999999999999999", "1.5", "%ZZ", "%00", "null", "[]", "{}", "x".repeat(5000), "a,b,,c", "RUNNING,NOPE", "2024-13-45T99:99:99Z"];

/** Path values for `:id`, `:name` and the like that do not name anything. */
export const BAD_PATH_VALUES = ["", " ", "0", "-1", "null", "undefined", "%00", "%ZZ", "..%2F..%2Fetc", "x".repeat(3000), "💥", "a%20b", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "0190b2a4-0000-7000-8000-00000000000g"];
