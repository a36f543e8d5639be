import type { Migration, MigrationProvider } from "kysely";
import * as m0001 from "./0001-initial.js";
import * as m0002 from "./0002-dispatch.js";
import * as m0003 from "./0003-auth.js";
import * as m0004 from "./0004-run-lists.js";
import * as m0005 from "./0005-claims-and-secret-scopes.js";
import * as m0010 from "./0010-rrule-anchor.js";
import * as m0012 from "./0012-schedule-horizon.js";
import * as m0013 from "./0013-concurrency-limits.js";
import * as m0014 from "./0014-flow-run-counts.js";
import * as m0015 from "./0015-artifacts.js";
import * as m0016 from "./0016-notifications.js";
import * as m0017 from "./0017-results.js";
import * as m0018 from "./0018-cancel-with-parent.js";
import * as m0019 from "./0019-automation-triggers.js";
import * as m0020 from "./0020-unpause-wakes-schedules.js";
import * as m0021 from "./0021-run-sorts.js";
import * as m0022 from "./0022-state-entries.js";
import * as m0023 from "./0023-result-chunks.js";
import * as m0024 from "./0024-count-changes-per-statement.js";
import * as m0025 from "./0025-state-history-by-time.js";
import * as m0026 from "./0026-partial-run-indexes.js";

/**
 * Migrations are imported, not read from a folder at run time, so they travel with the
 * compiled package wherever it is installed. Names sort in the order they apply.
 */
const MIGRATIONS: Record<string, Migration> = {
  "0001-initial": m0001,
  "0002-dispatch": m0002,
  "0003-auth": m0003,
  "0004-run-lists": m0004,
  "0005-claims-and-secret-scopes": m0005,
  "0010-rrule-anchor": m0010,
  "0012-schedule-horizon": m0012,
  "0013-concurrency-limits": m0013,
  "0014-flow-run-counts": m0014,
  "0015-artifacts": m0015,
  "0016-notifications": m0016,
  "0017-results": m0017,
  "0018-cancel-with-parent": m0018,
  "0019-automation-triggers": m0019,
  "0020-unpause-wakes-schedules": m0020,
  "0021-run-sorts": m0021,
  "0022-state-entries": m0022,
  "0023-result-chunks": m0023,
  "0024-count-changes-per-statement": m0024,
  "0025-state-history-by-time": m0025,
  "0026-partial-run-indexes": m0026,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
