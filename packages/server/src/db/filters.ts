import { STATE_TYPES, type StateType } from "@baton/core";
import { sql, type Expression, type SqlBool } from "kysely";
import type { DatabaseKind } from "./url.js";

const TYPES = new Set<string>(STATE_TYPES);

/**
 * `FAILED,CRASHED` or `Late`: a value that spells a state type (any case) filters on the
 * type, anything else on the display name (`Late`, `AwaitingRetry`, `Cached`).
 */
export function splitStateFilter(values: readonly string[]): { types: StateType[]; names: string[] } {
  const types: StateType[] = [];
  const names: string[] = [];
  for (const value of values) {
    const upper = value.toUpperCase();
    if (TYPES.has(upper)) types.push(upper as StateType);
    else names.push(value);
  }
  return { types, names };
}

/** True when the JSON array of strings in `column` holds `value`. */
export function jsonArrayContains(kind: DatabaseKind, column: string, value: string): Expression<SqlBool> {
  return kind === "sqlite"
    ? sql<SqlBool>`exists (select 1 from json_each(${sql.ref(column)}) where json_each.value = ${value})`
    : sql<SqlBool>`(${sql.ref(column)})::jsonb @> jsonb_build_array(${value}::text)`;
}

/**
 * `column IN (ids)` with the whole list as one parameter: thousands of ids cost one bound
 * value instead of thousands of placeholders for the query builder and the parser.
 */
export function idIn(kind: DatabaseKind, column: string, ids: readonly string[]): Expression<SqlBool> {
  return kind === "sqlite"
    ? sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(ids)}))`
    : sql<SqlBool>`${sql.ref(column)} = any(${ids}::text[])`;
}
