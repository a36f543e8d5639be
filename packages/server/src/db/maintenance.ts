import { NO_MIGRATIONS } from "kysely";
import { openDatabase, runMigrations } from "./open.js";
import { redactDatabaseUrl } from "./url.js";

export interface DatabaseMaintenanceResult {
  /** The database, password hidden. */
  database: string;
  /** Migrations reverted (reset only), newest first. */
  reverted: string[];
  /** Migrations applied, oldest first. */
  applied: string[];
}

/**
 * `baton server database upgrade`: apply the migrations a database lacks, without starting a
 * server (a server start does the same). An up-to-date database applies none.
 */
export async function upgradeDatabaseOffline(databaseUrl: string): Promise<DatabaseMaintenanceResult> {
  const database = await openDatabase(databaseUrl, { migrate: false });
  try {
    const applied = await runMigrations(database, (migrator) => migrator.migrateToLatest());
    return { database: redactDatabaseUrl(databaseUrl), reverted: [], applied: applied.map((r) => r.migrationName) };
  } finally {
    await database.close();
  }
}

/**
 * `baton server database reset --yes`: revert every migration (each one's `down` drops what it
 * made, so only Baton's tables go), then apply them all: an empty database at the latest schema.
 * Every run, deployment, pool and API key is lost; the CLI asks for --yes.
 */
export async function resetDatabaseOffline(databaseUrl: string): Promise<DatabaseMaintenanceResult> {
  const database = await openDatabase(databaseUrl, { migrate: false });
  try {
    const reverted = await runMigrations(database, (migrator) => migrator.migrateTo(NO_MIGRATIONS));
    const applied = await runMigrations(database, (migrator) => migrator.migrateToLatest());
    return { database: redactDatabaseUrl(databaseUrl), reverted: reverted.map((r) => r.migrationName), applied: applied.map((r) => r.migrationName) };
  } finally {
    await database.close();
  }
}
