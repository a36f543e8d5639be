import type { State } from "@baton/core";
import type { StateTable } from "./schema.js";

export const toJson = (value: unknown): string => JSON.stringify(value);
export const fromJson = <T>(text: string): T => JSON.parse(text) as T;

/** A state as a history row. */
export function stateToRow(state: State): StateTable {
  return {
    id: state.id,
    type: state.type,
    name: state.name,
    message: state.message,
    timestamp: state.timestamp,
    state_details: toJson(state.state_details),
    data: state.data === null ? null : toJson(state.data),
  };
}

export function stateFromRow(row: StateTable): State {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    message: row.message,
    timestamp: row.timestamp,
    state_details: fromJson(row.state_details),
    data: row.data === null ? null : fromJson(row.data),
  };
}

/**
 * Rows per multi-row INSERT: SQLite binds at most 32,766 parameters per statement and
 * PostgreSQL 65,535; staying under 30,000 fits both.
 */
export function rowsPerInsert(columns: number): number {
  return Math.max(1, Math.floor(30_000 / columns));
}

export function* chunksOf<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
