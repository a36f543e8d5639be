import { closeSharedClient, getClient, type BatonClient } from "../src/client/index.js";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "../../../test/helpers/databases.js";
import { freePort, tempDir } from "../../../test/helpers/tmp.js";

/**
 * Where the engine records during a test: in-process into $BATON_HOME/baton.db (no
 * BATON_API_URL), or through a real HTTP server on SQLite or PostgreSQL.
 */
export type EngineMode = "in-process sqlite" | "http sqlite" | "http postgresql";
export const HTTP_MODES: EngineMode[] = ["http sqlite", "http postgresql"];
export const ALL_MODES: EngineMode[] = ["in-process sqlite", ...HTTP_MODES];

export interface EngineEnv {
  home: string;
  client: BatonClient;
  apiUrl?: string;
  close(): Promise<void>;
}

interface ServerHandle {
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  heartbeatTimeoutSeconds?: number;
  servicesLoopSeconds?: number;
  resultMaxBytes?: number;
}

export async function startEngineServer(kind: DatabaseKind, options: ServerOptions = {}): Promise<{ server: ServerHandle; db: TestDatabase; apiUrl: string }> {
  const { startServer } = (await import("@baton/server")) as unknown as {
    startServer(o: Record<string, unknown>): Promise<ServerHandle>;
  };
  const db = await createTestDatabase(kind);
  const port = await freePort();
  // The engine's tests are not about credentials: a loopback server with authentication off.
  const server = await startServer({ databaseUrl: db.url, host: "127.0.0.1", port, logLevel: "silent", auth: { enabled: false }, ...options });
  return { server, db, apiUrl: `http://127.0.0.1:${port}/api` };
}

/** Points the engine at a fresh place to record, through the environment it reads. */
export async function setUpEngine(mode: EngineMode, env: Record<string, string> = {}): Promise<EngineEnv> {
  await closeSharedClient();
  const home = tempDir("baton-sdk-");
  for (const key of Object.keys(process.env)) if (key.startsWith("BATON_")) delete process.env[key];
  process.env.BATON_HOME = home.path;
  process.env.NO_COLOR = "1";
  Object.assign(process.env, env);
  let stop = async () => {};
  let apiUrl: string | undefined;
  if (mode !== "in-process sqlite") {
    const started = await startEngineServer(mode === "http sqlite" ? "sqlite" : "postgresql");
    apiUrl = started.apiUrl;
    process.env.BATON_API_URL = apiUrl;
    stop = async () => {
      await started.server.close();
      await started.db.drop();
    };
  }
  const client = await getClient();
  return {
    home: home.path,
    client,
    ...(apiUrl ? { apiUrl } : {}),
    close: async () => {
      await closeSharedClient();
      await stop();
      home.remove();
    },
  };
}

/** `TYPE/Name` of each state, oldest first: `["PENDING/Pending", "RUNNING/Running", ...]`. */
export async function flowRunStateNames(client: BatonClient, id: string): Promise<string[]> {
  const page = await client.flowRunStates(id, { limit: 500 });
  return page.items.map((s) => `${s.type}/${s.name}`);
}

export async function taskRunStateNames(client: BatonClient, id: string): Promise<string[]> {
  const page = await client.taskRunStates(id);
  return page.items.map((s) => `${s.type}/${s.name}`);
}

export async function taskRunsOf(client: BatonClient, flowRunId: string) {
  const items = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTaskRuns({ flow_run_id: flowRunId, limit: 500, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return items;
}

export async function logMessages(client: BatonClient, flowRunId: string): Promise<{ message: string; level: number; name: string; task_run_id: string | null }[]> {
  const page = await client.listLogs({ flow_run_id: flowRunId, limit: 5000 });
  return page.items;
}
