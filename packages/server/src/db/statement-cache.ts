/** A prepared statement of either SQLite driver (sqlite-connection.ts). */
export interface SqliteStatement {
  readonly reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  iterate(...params: unknown[]): IterableIterator<unknown>;
}

/** Distinct SQL texts kept prepared; past it the least recently used goes (an `in (?, ?, ...)` list makes a text per length). */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * Keeps SQLite statements prepared by their SQL text. Kysely's SQLite driver prepares every
 * query anew, and parsing and planning cost as much as running most of the API's queries
 * (a third of the server's time on the run path). A statement is reused only for `all` and
 * `run`, which finish before they return; `iterate` (a streamed query, which holds its
 * statement until the caller stops reading) always gets a statement of its own. SQLite
 * re-prepares a kept statement by itself when the schema changed (a migration) since.
 */
export function cachedStatements(prepare: (sql: string) => SqliteStatement, size = STATEMENT_CACHE_SIZE): (sql: string) => SqliteStatement {
  const kept = new Map<string, SqliteStatement>();
  return (sql) => {
    let statement = kept.get(sql);
    if (statement) {
      // Most recently used last: Map keeps insertion order, so the first key is the one to drop.
      kept.delete(sql);
    } else {
      statement = prepare(sql);
      if (kept.size >= size) kept.delete(kept.keys().next().value!);
    }
    kept.set(sql, statement);
    const shared = statement;
    return {
      reader: shared.reader,
      all: (...params) => shared.all(...params),
      run: (...params) => shared.run(...params),
      iterate: (...params) => prepare(sql).iterate(...params),
    };
  };
}
