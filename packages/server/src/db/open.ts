import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationResult, type MigrationResultSet } from "kysely";
import pg from "pg";
import { BatonError } from "@baton/core";
import { SERVER_WAL_AUTOCHECKPOINT_PAGES, startSqliteCheckpointer } from "./sqlite-checkpointer.js";
import { postgresBulkWriter, sqliteBulkWriter, type BulkWriter } from "./bulk.js";
import { migrationProvider } from "./migrations/index.js";
import { openSqliteConnection } from "./sqlite-connection.js";
import { createWriteTurns, serverTurn, threadTurn } from "./write-turns.js";
import { prepareSqliteFile } from "./sqlite-file.js";
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
  /** SQLite: the database file (absolute), when it is one; another connection (a thread's) can open it. */
  readonly sqliteFile?: string;
  /** SQLite on a file: the turns its write transactions take with the scheduler's thread (write-turns.ts). */
  readonly sqliteWriteTurns?: SharedArrayBuffer;
  /** Connections of this process now (metrics): PostgreSQL's pool; SQLite's one connection. */
  poolUse?(): { total: number; idle: number; waiting: number; max: number };
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /**
   * SQLite: checkpoint the WAL from a thread of its own (sqlite-checkpointer.ts), for a
   * long-running server; a short-lived command keeps SQLite's own checkpoints (default false).
   */
  backgroundCheckpoints?: boolean;
  /**
   * SQLite: another connection of this process runs the checkpoints (the server's checkpointer
   * thread): this one lets the WAL grow to the same backstop as the server's connection.
   */
  checkpointsElsewhere?: boolean;
  /**
   * SQLite: this connection is the scheduler thread's, taking write turns with the server's
   * connection through these counters (write-turns.ts). Without it a file database is the
   * server's side and makes its own.
   */
  threadWriteTurns?: SharedArrayBuffer;
  /** SQLite: this connection's page cache, in KiB (the driver's default is 16,000). */
  pageCacheKib?: number;
}

/** Open the database named by `url` and bring its schema up to date. */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<BatonDatabase> {
  const parsed = parseDatabaseUrl(url);
  const description = redactDatabaseUrl(url);
  const database = parsed.kind === "sqlite" ? openSqlite(parsed.filename, description, options) : openPostgres(parsed.connectionString, description);
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

function openSqlite(filename: string, description: string, options: OpenDatabaseOptions): BatonDatabase {
  const backgroundCheckpoints = options.backgroundCheckpoints === true;
  if (filename !== ":memory:") prepareSqliteFile(filename);
  const connection = openSqliteConnection(filename);
  // WAL lets readers in other processes go on while one writes; NORMAL is durable in WAL
  // except for the last commits on power loss, which is what an orchestration log can afford.
  // busy_timeout first: switching a new file to WAL needs a lock another process may hold.
  connection.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  connection.pragma("journal_mode = WAL");
  connection.pragma("synchronous = NORMAL");
  connection.pragma("foreign_keys = ON");
  const checkpointer = backgroundCheckpoints && filename !== ":memory:" ? startSqliteCheckpointer(filename, connection.driver, SQLITE_BUSY_TIMEOUT_MS) : undefined;
  if (options.pageCacheKib !== undefined) connection.pragma(`cache_size = -${Math.floor(options.pageCacheKib)}`);
  if (checkpointer || options.checkpointsElsewhere) connection.pragma(`wal_autocheckpoint = ${SERVER_WAL_AUTOCHECKPOINT_PAGES}`);
  // One connection: Kysely's SqliteDialect queues every query on it, so this process never
  // races itself for the write lock ("database is locked").
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });
  const turns = options.threadWriteTurns ?? (filename === ":memory:" ? undefined : createWriteTurns());
  const takeTurn = turns === undefined ? <T>(write: () => Promise<T>) => write() : options.threadWriteTurns ? <T>(write: () => Promise<T>) => threadTurn(turns, write) : <T>(write: () => Promise<T>) => serverTurn(turns, write);
  return {
    kind: "sqlite",
    description,
    ...(filename === ":memory:" ? {} : { sqliteFile: filename }),
    ...(turns && !options.threadWriteTurns ? { sqliteWriteTurns: turns } : {}),
    db,
    bulk: sqliteBulkWriter(connection),
    // One connection, always open; requests queue inside Kysely, out of sight.
    poolUse: () => ({ total: 1, idle: 0, waiting: 0, max: 1 }),
    ping: () => ping(db),
    transaction: (fn) =>
      takeTurn(() =>
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
      ),
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

const POSTGRES_POOL_MAX = 10;

function openPostgres(connectionString: string, description: string): BatonDatabase {
  // A bounded wait for a connection: while the database is down a request fails (503, retryable)
  // instead of hanging until the client gives up.
  const pool = new pg.Pool({ connectionString, max: POSTGRES_POOL_MAX, connectionTimeoutMillis: 10_000 });
  // A client losing its connection (a restart, pg_terminate_backend) emits "error": idle ones
  // through the pool, checked-out ones (a query in flight) on themselves. Without a listener
  // either kills the process; the query in flight fails on its own and the pool drops the client.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: "postgresql",
    description,
    db,
    bulk: postgresBulkWriter,
    poolUse: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: POSTGRES_POOL_MAX }),
    ping: () => ping(db),
    transaction: (fn) => db.transaction().execute(fn),
    close: () => db.destroy(),
  };
}

async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

/**
 * Bring the schema up to date. PostgreSQL's migrator takes an advisory lock. On SQLite Kysely
 * takes none (it assumes one connection), so two processes opening a new file at once both
 * saw no migrations and both ran the first ("table flows already exists"): here the check and
 * the migrations run in one BEGIN IMMEDIATE transaction, which another process waits for
 * (busy_timeout) and then finds the schema up to date.
 */
async function migrate(database: BatonDatabase): Promise<void> {
  await runMigrations(database, (migrator) => migrator.migrateToLatest());
}

/**
 * Run `step` with a migrator of Baton's migrations, in one transaction; resolves with the
 * migrations it applied or reverted, in order (`baton server database upgrade | reset`).
 */
export async function runMigrations(database: BatonDatabase, step: (migrator: Migrator) => Promise<MigrationResultSet>): Promise<MigrationResult[]> {
  if (database.kind !== "sqlite") {
    const { error, results } = await step(new Migrator({ db: database.db, provider: migrationProvider }));
    if (error) throw error;
    return results ?? [];
  }
  return database.db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      // The transaction is ours: the migrator must not open one of its own on this connection.
      const { error, results } = await step(new Migrator({ db: conn, provider: migrationProvider, disableTransactions: true }));
      if (error) throw error;
      await sql`commit`.execute(conn);
      return results ?? [];
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}
