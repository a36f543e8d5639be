import { ValidationError, type FlowRunListQuerySchema } from "@baton/core";
import { sql, type RawBuilder } from "kysely";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import { decodeCursor } from "../db/pagination.js";

type Sort = z.output<typeof FlowRunListQuerySchema>["sort"];
/** The sorts on a value some runs lack: start time, duration. */
export type ValueSort = Exclude<Sort, "created_desc" | "created_asc">;

export function isValueSort(sort: Sort): sort is ValueSort {
  return sort !== "created_desc" && sort !== "created_asc";
}

export function directionOf(sort: Sort): "asc" | "desc" {
  return sort.endsWith("_desc") ? "desc" : "asc";
}

/**
 * The value a start or duration sort orders by, null for runs without it. These are the
 * expressions migration 0021 indexes, written the same way so the planners match them.
 * Duration is in milliseconds, end_time - start_time, so only finished runs that started have
 * one: a running run's "now - start" changes between two pages and would move runs across the
 * cursor.
 */
export function sortValue(kind: BatonDatabase["kind"], sort: ValueSort): RawBuilder<string | number | null> {
  if (sort.startsWith("start_time")) return sql`start_time`;
  return kind === "sqlite" ? sql`round((julianday(end_time) - julianday(start_time)) * 86400000)` : sql`(baton_epoch_ms(end_time) - baton_epoch_ms(start_time))`;
}

/** Below every value (durations can be negative if clocks disagree): "has a value" as an index range. */
export function sortFloor(sort: ValueSort): string | number {
  return sort.startsWith("start_time") ? "" : -Number.MAX_SAFE_INTEGER;
}

/**
 * Where a start or duration page ends. Runs with the value come first, in value then id order;
 * the runs without it (not started; for duration also not finished) follow in id order (ids are
 * UUIDv7, so that is about creation order), both in the sort's direction. Each part is an index
 * range, so the cursor names the part, the value and the id.
 */
export interface ValueCursor {
  valued: boolean;
  value: string | number;
  id: string;
}

const PARTS = { valued: "v", rest: "r" } as const;

/** The cursor's key for the last row of a page (pageFrom encodes it). */
export function valueCursorKey(sort: ValueSort, row: { id: string; sort_value: string | number | null }): string[] {
  return row.sort_value === null ? [sort, PARTS.rest, "", row.id] : [sort, PARTS.valued, String(row.sort_value), row.id];
}

export function decodeValueCursor(sort: ValueSort, cursor: string): ValueCursor {
  const [made, part, value, id] = decodeCursor(cursor, 4) as [string, string, string, string];
  const duration = sort.startsWith("duration");
  if (made !== sort || (part !== PARTS.valued && part !== PARTS.rest) || (duration && part === PARTS.valued && !Number.isSafeInteger(Number(value)))) {
    const message = `a cursor made for another sort than ${sort}; pass the next_cursor of the previous page with the same sort, or leave it out for the first page`;
    throw new ValidationError(`ValidationError: query.cursor: ${message}`, [{ path: "query.cursor", message }]);
  }
  // SQLite compares a number with text as unequal types: the value goes back as a number.
  return { valued: part === PARTS.valued, value: duration && part === PARTS.valued ? Number(value) : value, id };
}

/** Orders rows of a value sort like the database does (valued part first), for merging pages. */
export function compareValueRows(direction: "asc" | "desc") {
  const sign = direction === "desc" ? -1 : 1;
  const value = (v: string | number) => (typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v);
  return (a: { id: string; sort_value: string | number | null }, b: { id: string; sort_value: string | number | null }): number => {
    if ((a.sort_value === null) !== (b.sort_value === null)) return a.sort_value === null ? 1 : -1;
    if (a.sort_value !== null && b.sort_value !== null) {
      const x = value(a.sort_value);
      const y = value(b.sort_value);
      if (x !== y) return (x < y ? -1 : 1) * sign;
    }
    return a.id === b.id ? 0 : (a.id < b.id ? -1 : 1) * sign;
  };
}
