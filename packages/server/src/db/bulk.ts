import type { SqliteConnection, SqliteStatement } from "./sqlite-connection.js";
import { sql, type Kysely } from "kysely";
import type { Database } from "./schema.js";

export interface BulkColumn {
  name: string;
  type: "text" | "integer";
}

/** "ignore": a row whose id exists already is skipped (a batch sent twice). */
export type OnConflict = "ignore";

/**
 * Multi-row writes for the report route, the one that carries the engine's throughput.
 * Kysely builds and freezes a node per value and better-sqlite3 would prepare each
 * statement anew; for tens of thousands of rows a second that costs more than the database
 * work. So, for these inserts only: SQLite runs one cached prepared statement per row (no
 * parsing, no network), PostgreSQL gets one statement per column set with each column sent
 * as an array (`unnest`), whatever the number of rows.
 */
export interface BulkWriter {
  /** Insert `rows` (values in `columns` order) into `table` inside the transaction `trx`; returns the rows written. */
  insert(trx: Kysely<Database>, table: keyof Database, columns: readonly BulkColumn[], rows: readonly unknown[][], onConflict?: OnConflict): Promise<number>;
  /**
   * Insert `rows`, skipping each whose `key` columns match a row there already (a unique index),
   * and return the ids (`columns[0]`) of the rows really inserted: the scheduler's runs, whose
   * first states only the new ones get.
   */
  insertNew(trx: Kysely<Database>, table: keyof Database, columns: readonly BulkColumn[], rows: readonly unknown[][], key: readonly string[]): Promise<Set<string>>;
  /** Set `columns[1..]` of the rows whose `columns[0]` (the key) is given, one row of values each; returns the rows changed. */
  update(trx: Kysely<Database>, table: keyof Database, columns: readonly BulkColumn[], rows: readonly unknown[][]): Promise<number>;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function conflictClause(onConflict: OnConflict | undefined): string {
  return onConflict === "ignore" ? " on conflict (id) do nothing" : "";
}

/** Rows per SQLite statement: fewer statement runs, while staying far below the bound-value limit. */
const SQLITE_ROWS_PER_STATEMENT = 64;

/**
 * SQLite: the caller holds the only connection (inside `BatonDatabase.transaction`), so the
 * statements run on it directly and synchronously; nothing else can interleave. Rows go 64 to a
 * statement, the rest one by one, each shape prepared once.
 */
export function sqliteBulkWriter(connection: SqliteConnection): BulkWriter {
  const statements = new Map<string, SqliteStatement>();
  const insertNewStatements = new Map<string, SqliteStatement>();
  const statement = (table: string, columns: readonly BulkColumn[], rows: number, onConflict: OnConflict | undefined) => {
    const tuple = `(${columns.map(() => "?").join(", ")})`;
    const text =
      `insert into ${quote(table)} (${columns.map((c) => quote(c.name)).join(", ")}) values ${Array.from({ length: rows }, () => tuple).join(", ")}` +
      conflictClause(onConflict);
    let prepared = statements.get(text);
    if (!prepared) statements.set(text, (prepared = connection.prepare(text)));
    return prepared;
  };
  return {
    async insert(_trx, table, columns, rows, onConflict) {
      let written = 0;
      let start = 0;
      if (rows.length >= SQLITE_ROWS_PER_STATEMENT) {
        const many = statement(table, columns, SQLITE_ROWS_PER_STATEMENT, onConflict);
        for (; start + SQLITE_ROWS_PER_STATEMENT <= rows.length; start += SQLITE_ROWS_PER_STATEMENT) {
          written += many.run(...rows.slice(start, start + SQLITE_ROWS_PER_STATEMENT).flat()).changes;
        }
      }
      if (start < rows.length) {
        const one = statement(table, columns, 1, onConflict);
        for (; start < rows.length; start++) written += one.run(...rows[start]!).changes;
      }
      return written;
    },
    async insertNew(_trx, table, columns, rows, key) {
      const inserted = new Set<string>();
      // Looked up by shape, not by text: the 64-row statement's text is thousands of characters,
      // and building it for every chunk cost more than binding the chunk.
      const prepare = (n: number) => {
        const shape = `${table}\u0000${n}\u0000${columns.map((c) => c.name).join(",")}\u0000${key.join(",")}`;
        let prepared = insertNewStatements.get(shape);
        if (!prepared) {
          const text =
            `insert into ${quote(table)} (${columns.map((c) => quote(c.name)).join(", ")}) values ${Array.from({ length: n }, () => `(${columns.map(() => "?").join(", ")})`).join(", ")}` +
            ` on conflict (${key.map(quote).join(", ")}) do nothing returning ${quote(columns[0]!.name)} as id`;
          insertNewStatements.set(shape, (prepared = connection.prepare(text)));
        }
        return prepared;
      };
      // Many rows a statement, as `insert` does (each run of a statement opens a statement journal
      // for the triggers); the rest in one statement of its own size, prepared once per size.
      for (let start = 0; start < rows.length; start += SQLITE_ROWS_PER_STATEMENT) {
        const chunk = rows.slice(start, start + SQLITE_ROWS_PER_STATEMENT);
        for (const row of prepare(chunk.length).all(...chunk.flat()) as { id: string }[]) inserted.add(row.id);
      }
      return inserted;
    },
    async update(_trx, table, columns, rows) {
      if (rows.length === 0) return 0;
      const [key, ...set] = columns;
      const text = `update ${quote(table)} set ${set.map((c) => `${quote(c.name)} = ?`).join(", ")} where ${quote(key!.name)} = ?`;
      let prepared = statements.get(text);
      if (!prepared) statements.set(text, (prepared = connection.prepare(text)));
      let written = 0;
      for (const row of rows) written += prepared.run(...row.slice(1), row[0]).changes;
      return written;
    },
  };
}

const POSTGRES_ROWS_PER_STATEMENT = 10_000;

/**
 * PostgreSQL text cannot hold a NUL character, which a log line or an error message from user
 * code may carry; it becomes U+FFFD rather than failing the whole batch.
 */
const withoutNul = (value: unknown): unknown => (typeof value === "string" && value.includes("\0") ? value.replaceAll("\0", "\uFFFD") : value);

export const postgresBulkWriter: BulkWriter = {
  async insert(trx, table, columns, rows, onConflict) {
    let written = 0;
    for (let start = 0; start < rows.length; start += POSTGRES_ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + POSTGRES_ROWS_PER_STATEMENT);
      const arrays = sql.join(columnArrays(columns, chunk));
      const result = await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c.name)))}) select * from unnest(${arrays})${sql.raw(conflictClause(onConflict))}`.execute(trx);
      written += Number(result.numAffectedRows ?? 0n);
    }
    return written;
  },
  async insertNew(trx, table, columns, rows, key) {
    const inserted = new Set<string>();
    for (let start = 0; start < rows.length; start += POSTGRES_ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + POSTGRES_ROWS_PER_STATEMENT);
      const arrays = sql.join(columnArrays(columns, chunk));
      const id = sql.ref(columns[0]!.name);
      const result = await sql<{ id: string }>`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c.name)))}) select * from unnest(${arrays}) on conflict (${sql.join(key.map((k) => sql.ref(k)))}) do nothing returning ${id} as id`.execute(trx);
      for (const row of result.rows) inserted.add(row.id);
    }
    return inserted;
  },
  async update(trx, table, columns, rows) {
    const [key, ...set] = columns;
    let written = 0;
    for (let start = 0; start < rows.length; start += POSTGRES_ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + POSTGRES_ROWS_PER_STATEMENT);
      const values = sql.join(columnArrays(columns, chunk));
      const assignments = sql.join(set.map((c) => sql`${sql.ref(c.name)} = v.${sql.ref(c.name)}`));
      const names = sql.join(columns.map((c) => sql.ref(c.name)));
      const result = await sql`update ${sql.table(table)} set ${assignments} from unnest(${values}) as v(${names}) where ${sql.table(table)}.${sql.ref(key!.name)} = v.${sql.ref(key!.name)}`.execute(trx);
      written += Number(result.numAffectedRows ?? 0n);
    }
    return written;
  },
};

/** One typed array parameter per column. */
function columnArrays(columns: readonly BulkColumn[], rows: readonly unknown[][]) {
  return columns.map((column, i) =>
    column.type === "integer" ? sql`${rows.map((row) => row[i])}::integer[]` : sql`${rows.map((row) => withoutNul(row[i]))}::text[]`,
  );
}
