import type { Migration, MigrationProvider } from "kysely";
import * as m0001 from "./0001-initial.js";
import * as m0002 from "./0002-dispatch.js";
import * as m0003 from "./0003-auth.js";
import * as m0004 from "./0004-run-lists.js";

/**
 * Migrations are imported, not read from a folder at run time, so they travel with the
 * compiled package wherever it is installed. Names sort in the order they apply.
 */
const MIGRATIONS: Record<string, Migration> = {
  "0001-initial": m0001,
  "0002-dispatch": m0002,
  "0003-auth": m0003,
  "0004-run-lists": m0004,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
