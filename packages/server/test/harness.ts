import { createTestDatabase, type DatabaseKind, type TestDatabase } from "../../../test/helpers/databases.js";
import { createApp, type BatonApp, type CreateAppOptions } from "../src/index.js";

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
