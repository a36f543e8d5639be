import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";

/**
 * The database holds secrets (encrypted), keys (hashed), runs and logs: its folder (BATON_HOME
 * by default) is made 0700 when Baton creates it, and a new database file 0600 before SQLite
 * opens it; SQLite gives its -wal and -shm files the database file's mode. Folders and files
 * that already exist keep theirs: they were someone's choice.
 */
export function prepareSqliteFile(filename: string): void {
  mkdirSync(dirname(filename), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(filename, "wx", 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}
