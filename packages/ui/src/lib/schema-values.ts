/**
 * The parameters a schema form's draft makes, with every problem keyed by the place it is at
 * (`items[2].name`), explained before anything is sent; and the switch of a field to JSON text
 * and back. Pure: no React here.
 */
import { draftFor, type Draft } from "./schema-draft";
import { childPath, entryPaths, itemPath, ROOT_PATH, rootSpec, type FieldSpec } from "./schema-form";
import { localInputToIso } from "./time";

export interface FormResult {
  parameters: Record<string, unknown>;
  /** Path -> what is wrong there and how to fix it. Empty when the form can be sent. */
  errors: Record<string, string>;
}

const MISSING = Symbol("missing");
type Value = unknown | typeof MISSING;

/** Where problems go; `lenient` (switching to JSON) keeps a mistyped value as its text instead. */
interface Sink {
  errors: Record<string, string>;
  lenient: boolean;
  zone: string | undefined;
}

const REQUIRED = "required: enter a value";

function looseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function numberProblem(spec: FieldSpec, text: string, n: number): string | undefined {
  if (!Number.isFinite(n)) return `"${text}" is not a number`;
  if (spec.kind === "integer" && !Number.isInteger(n)) return `must be a whole number, not ${text}`;
  if (spec.minimum !== undefined && n < spec.minimum) return `must be at least ${spec.minimum}`;
  if (spec.maximum !== undefined && n > spec.maximum) return `must be at most ${spec.maximum}`;
  if (spec.exclusiveMinimum !== undefined && n <= spec.exclusiveMinimum) return `must be more than ${spec.exclusiveMinimum}`;
  if (spec.exclusiveMaximum !== undefined && n >= spec.exclusiveMaximum) return `must be less than ${spec.exclusiveMaximum}`;
  return undefined;
}

function stringProblem(spec: FieldSpec, text: string): string | undefined {
  if (spec.minLength !== undefined && text.length < spec.minLength) return `must be at least ${spec.minLength} characters`;
  if (spec.maxLength !== undefined && text.length > spec.maxLength) return `must be at most ${spec.maxLength} characters`;
  if (spec.format === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(text)) return "must be a date: 2026-11-30";
  if (spec.format === "email" && !/^[^@\s]+@[^@\s]+$/.test(text)) return "must be an email address";
  if (spec.pattern) {
    try {
      if (!new RegExp(spec.pattern, "u").test(text)) return `must match ${spec.pattern}`;
    } catch {
      // A pattern this browser cannot compile: the server still checks it.
    }
  }
  return undefined;
}

/** A typed value, or a problem. Empty text is handled by the caller. */
function parseText(spec: FieldSpec, text: string, zone: string | undefined): { value: unknown } | { problem: string } {
  switch (spec.kind) {
    case "enum":
      return { value: looseValue(text) };
    case "any":
      return { value: looseValue(text) };
    case "number":
    case "integer": {
      const n = Number(text.trim());
      const problem = numberProblem(spec, text, n);
      return problem ? { problem } : { value: n };
    }
    default: {
      if (spec.format === "date-time") {
        // The input's wall time is read in the display zone; what is sent is ISO 8601 UTC.
        const iso = localInputToIso(text.trim(), zone);
        return iso ? { value: iso } : { problem: "must be a date and time: 2026-11-30T14:05" };
      }
      const problem = stringProblem(spec, text);
      return problem ? { problem } : { value: text };
    }
  }
}

function parseJson(spec: FieldSpec, text: string): { value: unknown } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    return { problem: `not valid JSON (${e instanceof Error ? e.message : String(e)}); write e.g. ["a", "b"] or {"key": 1}` };
  }
  if (spec.kind === "array" && !Array.isArray(value)) return { problem: 'must be a JSON list: ["a", "b"]' };
  if ((spec.kind === "object" || spec.kind === "dict") && (typeof value !== "object" || value === null || Array.isArray(value))) return { problem: 'must be a JSON object: {"key": 1}' };
  return { value };
}

function leaf(spec: FieldSpec, text: string, path: string, sink: Sink, parse: typeof parseText): Value {
  // A named string field left empty is "not given"; a row of a list or of a free-form object is there, so it holds "".
  const row = /[\]}]$/.test(spec.path);
  if (text.trim() === "" && (spec.kind !== "string" || (text === "" && !row))) {
    if (spec.required && !spec.hasDefault && !sink.lenient) sink.errors[path] = REQUIRED;
    return MISSING;
  }
  const parsed = parse(spec, text, sink.zone);
  if ("value" in parsed) return parsed.value;
  if (sink.lenient) return looseValue(text);
  sink.errors[path] = parsed.problem;
  return MISSING;
}

function listProblem(spec: FieldSpec, count: number): string | undefined {
  if (spec.minItems !== undefined && count < spec.minItems) return `needs at least ${spec.minItems} item${spec.minItems === 1 ? "" : "s"}`;
  if (spec.maxItems !== undefined && count > spec.maxItems) return `takes at most ${spec.maxItems} item${spec.maxItems === 1 ? "" : "s"}`;
  return undefined;
}

function valueOf(spec: FieldSpec, draft: Draft, path: string, sink: Sink): Value {
  switch (draft.t) {
    case "check":
      return draft.on;
    case "text":
      return leaf(spec, draft.text, path, sink, parseText);
    case "json":
      return leaf(spec, draft.text, path, sink, (s, text) => parseJson(s, text));
    case "object": {
      const out = objectOf(spec.children ?? [], draft, path, sink);
      return Object.keys(out).length > 0 || spec.required ? out : MISSING;
    }
    case "array": {
      const out = draft.rows.map((row, i) => valueOf(spec.items!, row.draft, itemPath(path, i), sink)).filter((v) => v !== MISSING);
      const problem = listProblem(spec, draft.rows.length);
      if (problem && !sink.lenient) sink.errors[path] = problem;
      return draft.rows.length > 0 || draft.given || spec.required ? out : MISSING;
    }
    case "dict": {
      const out: Record<string, unknown> = {};
      const paths = entryPaths(path, draft.entries.map((e) => e.key));
      draft.entries.forEach((entry, i) => {
        const key = entry.key.trim();
        const at = paths[i]!;
        if (!key) {
          if (!sink.lenient && !isBlank(entry.draft)) sink.errors[at] = "needs a key: name it, or remove the row";
          return;
        }
        const twice = key in out;
        const value = valueOf(spec.values!, entry.draft, at, sink);
        if (twice && !sink.lenient) sink.errors[at] = `"${key}" is given twice: keep one row`;
        else if (value !== MISSING) out[key] = value;
      });
      return draft.entries.length > 0 || draft.given || spec.required ? out : MISSING;
    }
  }
}

const isBlank = (draft: Draft) => (draft.t === "text" || draft.t === "json") && draft.text.trim() === "";

function objectOf(fields: FieldSpec[], draft: Extract<Draft, { t: "object" }>, path: string, sink: Sink): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const child = draft.fields[field.name] ?? draftFor(field, undefined, sink.zone);
    const value = valueOf(field, child, childPath(path, field.name), sink);
    if (value !== MISSING) out[field.name] = value;
  }
  return out;
}

/** The parameters the form's draft makes, and what is wrong with them; date-times read in `zone`. */
export function formToParameters(fields: FieldSpec[], draft: Draft, zone?: string): FormResult {
  const errors: Record<string, string> = {};
  if (draft.t === "object") return { parameters: objectOf(fields, draft, "", { errors, lenient: false, zone }), errors };
  // All the parameters as one JSON object: no schema, or the form's "Edit all as JSON".
  const parsed = draft.t === "json" ? parseJson(rootSpec(fields), draft.text.trim() || "{}") : { problem: "not a form" };
  if ("problem" in parsed) return { parameters: {}, errors: { [ROOT_PATH]: parsed.problem } };
  return { parameters: parsed.value as Record<string, unknown>, errors };
}

/** A field's draft as JSON text (the "JSON" switch): mistyped values are kept as their text. */
export function draftToJson(spec: FieldSpec, draft: Draft, zone?: string): string {
  const value = valueOf(spec, draft, spec.path, { errors: {}, lenient: true, zone });
  return value === MISSING ? "" : JSON.stringify(value, null, 2);
}

/** JSON text back to the field's editors, or why it cannot go back (it stays JSON then). */
export function jsonToDraft(spec: FieldSpec, text: string, zone?: string): { draft: Draft } | { problem: string } {
  if (text.trim() === "") return { draft: draftFor({ ...spec, default: undefined }, undefined, zone) };
  const parsed = parseJson(spec, text);
  if ("problem" in parsed) return { problem: `${parsed.problem}: fix it to leave JSON` };
  return { draft: draftFor(spec, parsed.value, zone) };
}
