import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { BatonError } from "@baton/core";
import { postgresBulkWriter, sqliteBulkWriter, type BulkWriter } from "./bulk.js";
import { migrationProvider } from "./migrations/index.js";
import { openSqliteConnection } from "./sqlite-connection.js";
import type { Database } from "./schema.js";
import { parseDatabaseUrl, redactDatabaseUrl, type DatabaseKind } from "./url.js";

export class DatabaseUnavailable extends BatonError {
  override readonly code = "DatabaseUnavailable";
  override readonly status = 503;
}

/** How long a SQLite writer waits for another process's write transaction before giving up. */
const SQLITE_BUSY_TIMEOUT_MS = 15_000;

export interface BatonDatabase {
  readonly kind: DatabaseKind;
  /** The URL it was opened with, password hidden. */
  readonly description: string;
  readonly db: Kysely<Database>;
  /**
   * Run `fn` in one write transaction. On SQLite it is `BEGIN IMMEDIATE`: the write lock is
   * taken up front, so another process writing the same file makes this one wait
   * (busy_timeout) instead of failing later when a read would have to become a write.
   * Inside `fn`, use only the `trx` handle: SQLite has one connection and it is held.
   */
  transaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** Multi-row inserts for the hot paths; call inside `transaction`, with its `trx`. */
  readonly bulk: BulkWriter;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

/** Open the database named by `url` and bring its schema up to date. */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<BatonDatabase> {
  const parsed = parseDatabaseUrl(url);
  const description = redactDatabaseUrl(url);
  const database = parsed.kind === "sqlite" ? openSqlite(parsed.filename, description) : openPostgres(parsed.connectionString, description);
  if (options.migrate !== false) {
    try {
      await migrate(database);
    } catch (error) {
      await database.close().catch(() => undefined);
      if (error instanceof BatonError) throw error;
      throw new DatabaseUnavailable(
        `DatabaseUnavailable: cannot prepare the database ${description}: ${(error as Error).message}; ` +
          `check that it is reachable and that BATON_SERVER_DATABASE_URL is right`,
        { cause: error },
      );
    }
  }
  return database;
}

function openSqlite(filename: string, description: string): BatonDatabase {
  if (filename !== ":memory:") mkdirSync(dirname(filename), { recursive: true });
  const connection = openSqliteConnection(filename);
  // WAL lets readers in other processes go on while one writes; NORMAL is durable in WAL
  // except for the last commits on power loss, which is what an orchestration log can afford.
  connection.pragma("journal_mode = WAL");
  connection.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  connection.pragma("synchronous = NORMAL");
  connection.pragma("foreign_keys = ON");
  // One connection: Kysely's SqliteDialect queues every query on it, so this process never
  // races itself for the write lock ("database is locked").
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });
  return {
    kind: "sqlite",
    description,
    db,
    bulk: sqliteBulkWriter(connection),
    ping: () => ping(db),
    transaction: (fn) =>
      db.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn);
        try {
          const result = await fn(conn);
          await sql`commit`.execute(conn);
          return result;
        } catch (error) {
          await sql`rollback`.execute(conn).catch(() => undefined);
          throw error;
        }
      }),
    close: () => db.destroy(),
  };
}

function openPostgres(connectionString: string, description: string): BatonDatabase {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle client losing its connection (database restart) must not crash the server.
  pool.on("error", () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: "postgresql",
    description,
    db,
    bulk: postgresBulkWriter,
    ping: () => ping(db),
    transaction: (fn) => db.transaction().execute(fn),
    close: () => db.destroy(),
  };
}

async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

const isSqliteBusy = (error: unknown): boolean => /^SQLITE_BUSY/.test(String((error as { code?: unknown })?.code ?? ""));

/**
 * Two processes may open the same SQLite file at once (a server and an in-process client):
 * the loser of the race for the write lock retries. PostgreSQL's migrator takes an advisory lock.
 */
async function migrate(database: BatonDatabase): Promise<void> {
  const migrator = new Migrator({ db: database.db, provider: migrationProvider });
  for (let attempt = 1; ; attempt++) {
    const { error } = await migrator.migrateToLatest();
    if (!error) return;
    if (!(database.kind === "sqlite" && isSqliteBusy(error) && attempt < 20)) throw error;
    await new Promise((r) => setTimeout(r, 50 * attempt));
  }
}
