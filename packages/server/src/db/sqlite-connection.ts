import { createRequire } from "node:module";
import { cachedStatements, type SqliteStatement } from "./statement-cache.js";

/**
 * The SQLite connection, from one of two drivers with the same shape:
 * - Node 24 and later: the built-in `node:sqlite`. better-sqlite3 up to 12 subclasses
 *   node::ObjectWrap, whose destructor in Node 24 asserts a live environment: a statement
 *   collected at exit (or in a GC between contexts) aborts the process ("Assertion failed:
 *   (env) != nullptr"). better-sqlite3 13 fixes that but crashes on Node 20.
 * - Node 20 and 22: better-sqlite3 12, the fastest SQLite driver there.
 * Both are driven through this small interface, which is what Kysely's SqliteDialect and the
 * bulk writer use.
 */
export type { SqliteStatement } from "./statement-cache.js";

export interface SqliteConnection {
  readonly driver: "better-sqlite3" | "node:sqlite";
  prepare(sql: string): SqliteStatement;
  /** `PRAGMA text`, e.g. `journal_mode = WAL`. */
  pragma(text: string): void;
  close(): void;
}

const require = createRequire(import.meta.url);
const NODE_MAJOR = Number(process.versions.node.split(".")[0]);

export function openSqliteConnection(filename: string): SqliteConnection {
  return NODE_MAJOR >= 24 ? openNodeSqlite(filename) : openBetterSqlite(filename);
}

function openBetterSqlite(filename: string): SqliteConnection {
  const Database = require("better-sqlite3") as typeof import("better-sqlite3");
  const db = new Database(filename);
  return {
    driver: "better-sqlite3",
    prepare: cachedStatements((sql) => db.prepare(sql) as unknown as SqliteStatement),
    pragma: (text) => void db.pragma(text),
    close: () => db.close(),
  };
}

// Kysely passes the parameters as one array; the bulk writer spreads them. node:sqlite wants them spread.
const spread = (params: unknown[]): unknown[] => (params.length === 1 && Array.isArray(params[0]) ? (params[0] as unknown[]) : params);

interface NodeStatement {
  all(...p: unknown[]): unknown[];
  run(...p: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  iterate(...p: unknown[]): IterableIterator<unknown>;
  columns(): unknown[];
}

function openNodeSqlite(filename: string): SqliteConnection {
  const { DatabaseSync } = require("node:sqlite") as { DatabaseSync: new (path: string) => { prepare(sql: string): NodeStatement; exec(sql: string): void; close(): void } };
  const db = new DatabaseSync(filename);
  return {
    driver: "node:sqlite",
    prepare: cachedStatements((sql) => {
      const stmt = db.prepare(sql);
      return {
        reader: stmt.columns().length > 0,
        all: (...p) => stmt.all(...(spread(p) as never[])),
        run: (...p) => stmt.run(...(spread(p) as never[])),
        iterate: (...p) => stmt.iterate(...(spread(p) as never[])),
      };
    }),
    pragma: (text) => db.exec(`PRAGMA ${text}`),
    close: () => db.close(),
  };
}
