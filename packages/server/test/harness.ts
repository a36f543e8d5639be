import { createTestDatabase, type DatabaseKind, type TestDatabase } from "../../../test/helpers/databases.js";
import { createApp, type AuthOptions, type BatonApp, type CreateAppOptions } from "../src/index.js";
import { ensureBootstrapKey } from "../src/auth/bootstrap.js";
import { sql, type Kysely } from "kysely";

export { DATABASE_KINDS } from "../../../test/helpers/databases.js";

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
}

export interface TestApp extends BatonApp {
  database: TestDatabase;
  /** Call the API through the app, as a client would over HTTP. */
  api<T = any>(method: "GET" | "POST" | "DELETE" | "PATCH" | "PUT", path: string, body?: unknown): Promise<ApiAnswer<T>>;
  cleanup(): Promise<void>;
}

/**
 * A fresh database of the given kind and the app on it (no background services unless asked;
 * authentication off unless asked, since most tests are about something else).
 */
export async function openTestApp(kind: DatabaseKind, options: Partial<CreateAppOptions> = {}): Promise<TestApp> {
  const database = await createTestDatabase(kind);
  const baton = await createApp({ databaseUrl: database.url, logLevel: "silent", services: false, auth: { enabled: false }, ...options });
  return {
    ...baton,
    database,
    async api(method, path, body) {
      const response = await baton.app.inject({ method, url: `/api${path}`, ...(body !== undefined ? { payload: body as object } : {}) });
      return { status: response.statusCode, body: (response.body.length > 0 ? response.json() : null) as never };
    },
    async cleanup() {
      await baton.close();
      await database.drop();
    },
  };
}

/** Create a flow run and return it. */
export async function newFlowRun(app: TestApp, body: Record<string, unknown> = {}): Promise<any> {
  const answer = await app.api("POST", "/flow_runs", { flow_name: "etl-flow", ...body });
  if (answer.status !== 201) throw new Error(`creating a flow run answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export const secondsFromNow = (seconds: number): string => new Date(Date.now() + seconds * 1000).toISOString();

export interface AuthTestApp extends TestApp {
  /** The admin key the server starts with (as `baton server start` makes one). */
  adminKey: string;
}

/** openTestApp with authentication on (options.auth on top) and its first admin key. */
export async function openAuthTestApp(kind: DatabaseKind, options: Omit<Partial<CreateAppOptions>, "auth"> & { auth?: Omit<AuthOptions, "enabled"> } = {}): Promise<AuthTestApp> {
  const app = await openTestApp(kind, { ...options, auth: { ...options.auth, enabled: true } });
  const admin = await ensureBootstrapKey(app.db, undefined);
  if (!admin) throw new Error("a fresh database got no bootstrap admin key");
  return { ...app, adminKey: admin.key };
}

/**
 * Rows per table and the latest `updated` of each table that has one, as one string: two equal
 * snapshots mean no row was added, removed or updated in between (a refused request changed nothing).
 */
export async function rowSnapshot(app: TestApp): Promise<string> {
  const db = app.db.db as Kysely<any>;
  const sqlite = app.database.kind === "sqlite";
  const tables = sqlite
    ? await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(db)
    : await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(db);
  const updated = sqlite
    ? await sql<{ name: string }>`SELECT m.name AS name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'updated' ORDER BY m.name`.execute(db)
    : await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'updated' ORDER BY table_name`.execute(db);
  const columns = [...tables.rows.map((t) => `(SELECT count(*) FROM "${t.name}") AS "${t.name}"`), ...updated.rows.map((t) => `(SELECT max(updated) FROM "${t.name}") AS "${t.name}.updated"`)];
  const result = await sql.raw<Record<string, unknown>>(`SELECT ${columns.join(", ")}`).execute(db);
  return JSON.stringify(result.rows[0], (_, v) => (typeof v === "bigint" ? Number(v) : v));
}
