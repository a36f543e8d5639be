/**
 * What a schema form holds while it is edited: a tree that follows the fields (schema-form.ts),
 * text as typed for the inputs, rows for lists and free-form objects, and JSON text for a field
 * switched to JSON. Pure: the editors call these and keep the result in React state.
 */
import { rootSpec, type FieldSpec } from "./schema-form";
import { isoToLocalInput } from "./time";

export type Draft =
  /** string, number, integer, enum (its value as JSON), any (JSON or text): as typed. */
  | { t: "text"; text: string }
  | { t: "check"; on: boolean }
  | { t: "object"; fields: Record<string, Draft> }
  /** `given`: the list had a value to start with, so an emptied list is sent as `[]`. */
  | { t: "array"; rows: Row[]; given: boolean }
  | { t: "dict"; entries: Entry[]; given: boolean }
  | { t: "json"; text: string };

/** `id` keys a row across moves, so its inputs (and the focus) move with it. */
export interface Row {
  id: number;
  draft: Draft;
}
export interface Entry extends Row {
  key: string;
}

let lastId = 0;
const nextId = () => ++lastId;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A value of no declared type as text: a string as itself unless it would read back as JSON. */
export function looseText(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value !== "string") return JSON.stringify(value);
  try {
    JSON.parse(value);
    return JSON.stringify(value);
  } catch {
    return value;
  }
}

function scalarText(spec: FieldSpec, value: unknown, zone: string | undefined): string {
  if (value === undefined || value === null) return "";
  if (spec.kind === "enum") return JSON.stringify(value);
  if (spec.kind === "any") return looseText(value);
  // A date-time shows as the wall time of the display zone, as the datetime-local input wants it.
  if (spec.format === "date-time" && typeof value === "string") return isoToLocalInput(value, zone) || value;
  return typeof value === "string" ? value : JSON.stringify(value);
}

const jsonText = (value: unknown) => (value === undefined ? "" : JSON.stringify(value, null, 2));

/**
 * The draft of a field holding `value` (undefined: its default). A value of the wrong shape for
 * the editor (a string where a list is declared) opens as JSON, so nothing given is lost.
 */
export function draftFor(spec: FieldSpec, given: unknown, zone?: string): Draft {
  const value = given !== undefined ? given : spec.default;
  switch (spec.kind) {
    case "boolean":
      return { t: "check", on: value === true };
    case "object":
      if (value !== undefined && value !== null && !isObject(value)) return { t: "json", text: jsonText(value) };
      return { t: "object", fields: Object.fromEntries((spec.children ?? []).map((c) => [c.name, draftFor(c, isObject(value) ? value[c.name] : undefined, zone)])) };
    case "array":
      if (value !== undefined && value !== null && !Array.isArray(value)) return { t: "json", text: jsonText(value) };
      return { t: "array", given: Array.isArray(value), rows: (Array.isArray(value) ? value : []).map((v: unknown) => ({ id: nextId(), draft: draftFor(spec.items!, v, zone) })) };
    case "dict":
      if (value !== undefined && value !== null && !isObject(value)) return { t: "json", text: jsonText(value) };
      return { t: "dict", given: isObject(value), entries: Object.entries(isObject(value) ? value : {}).map(([key, v]) => ({ id: nextId(), key, draft: draftFor(spec.values!, v, zone) })) };
    case "json":
      return { t: "json", text: jsonText(value) };
    default:
      return { t: "text", text: scalarText(spec, value, zone) };
  }
}

/** The whole form's draft: the given parameters (a deployment's, a run's), else the defaults. */
export function initialDraft(fields: FieldSpec[], parameters: Record<string, unknown> = {}, zone?: string): Draft {
  return { t: "object", fields: Object.fromEntries(fields.map((f) => [f.name, draftFor(f, parameters[f.name], zone)])) };
}

/** A new, empty row of a list: an item as its schema starts (its defaults, if any). */
export const newRow = (items: FieldSpec, zone?: string): Row => ({ id: nextId(), draft: draftFor(items, undefined, zone) });
export const newEntry = (values: FieldSpec, zone?: string): Entry => ({ id: nextId(), key: "", draft: draftFor(values, undefined, zone) });

/** `list` with the element at `from` moved to `to` (clamped): the up and down buttons. */
export function moved<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return list;
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item as T);
  return out;
}

export const removed = <T>(list: T[], index: number): T[] => list.filter((_, i) => i !== index);
export const replaced = <T>(list: T[], index: number, item: T): T[] => list.map((x, i) => (i === index ? item : x));

/**
 * The draft with every date-time's wall time moved by `move` (from one display zone to another):
 * the zone switch keeps what was typed standing for the same instant.
 */
export function rezoneDraft(fields: FieldSpec[], draft: Draft, move: (text: string) => string): Draft {
  return rezone(rootSpec(fields), draft, move);
}

function rezone(spec: FieldSpec, draft: Draft, move: (text: string) => string): Draft {
  switch (draft.t) {
    case "text":
      return spec.format === "date-time" && draft.text ? { t: "text", text: move(draft.text) } : draft;
    case "object": {
      const child = (name: string) => spec.children?.find((c) => c.name === name);
      return { ...draft, fields: Object.fromEntries(Object.entries(draft.fields).map(([name, d]) => [name, child(name) ? rezone(child(name)!, d, move) : d])) };
    }
    case "array":
      return spec.items ? { ...draft, rows: draft.rows.map((r) => ({ ...r, draft: rezone(spec.items!, r.draft, move) })) } : draft;
    case "dict":
      return spec.values ? { ...draft, entries: draft.entries.map((e) => ({ ...e, draft: rezone(spec.values!, e.draft, move) })) } : draft;
    default:
      return draft;
  }
}
