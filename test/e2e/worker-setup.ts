import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startServer, type NotificationOptions, type RunningServer } from "@baton/server";
import { BatonClient } from "baton";
import type { FlowRun, StateType } from "@baton/core";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "../helpers/databases.js";
import { cleanEnv, waitFor } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { testApiKey } from "../helpers/api-key.js";

export const WORKER_FIXTURE = fileURLToPath(new URL("../fixtures/worker", import.meta.url));
const WORKER_SCRIPT = fileURLToPath(new URL("../fixtures/worker/worker.mjs", import.meta.url));

export interface TestServer {
  db: TestDatabase;
  server: RunningServer;
  apiUrl: string;
  /** The server's admin key: the client and the workers the test starts use it. */
  apiKey: string;
  client: BatonClient;
  home: { path: string; remove(): void };
  close(): Promise<void>;
}

/** A real server on a fresh database, a client for it, and a fresh BATON_HOME for the processes the test starts. */
export async function startTestServer(kind: DatabaseKind, options: { heartbeatTimeoutSeconds?: number; runTokenTtlSeconds?: number; notifications?: NotificationOptions; metrics?: { port: number; token: string } } = {}): Promise<TestServer> {
  const db = await createTestDatabase(kind);
  const apiKey = testApiKey();
  const { runTokenTtlSeconds, ...rest } = options;
  const server = await startServer({ databaseUrl: db.url, port: 0, logLevel: "warn", servicesLoopSeconds: 1, auth: { bootstrapApiKey: apiKey, runTokenTtlSeconds }, ...rest });
  const apiUrl = `${server.url}/api`;
  const client = new BatonClient({ apiUrl, apiKey });
  const home = tempDir("baton-worker-home-");
  return {
    db,
    server,
    apiUrl,
    apiKey,
    client,
    home,
    close: async () => {
      await client.close();
      await server.close();
      await db.drop();
      home.remove();
    },
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  events: Array<Record<string, unknown> & { type: string }>;
  output(): string;
  waitForEvent(type: string, match?: (e: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** A worker in its own process (test/fixtures/worker/worker.mjs), with a clean environment pointing at the server. */
export function startWorkerProcess(t: TestServer, options: Record<string, unknown>, env: Record<string, string> = {}): WorkerProcess {
  const child = spawn(process.execPath, [WORKER_SCRIPT], {
    cwd: WORKER_FIXTURE,
    env: cleanEnv({ BATON_HOME: t.home.path, BATON_API_URL: t.apiUrl, BATON_API_KEY: t.apiKey, WORKER_OPTIONS: JSON.stringify(options), ...env }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const events: WorkerProcess["events"] = [];
  let out = "";
  let partial = "";
  child.stdout!.on("data", (d: Buffer) => {
    out += d;
    const lines = (partial + d.toString()).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (line.startsWith("{")) {
        try {
          events.push(JSON.parse(line));
        } catch {
          // a run's own output that happens to start with "{"
        }
      }
    }
  });
  child.stderr!.on("data", (d: Buffer) => (out += d));
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  return {
    child,
    events,
    output: () => out,
    waitForEvent: (type, match = () => true, timeoutMs = 30_000) =>
      waitFor(() => events.find((e) => e.type === type && match(e)), `worker event ${type}; output so far:\n${out}`, timeoutMs),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

export async function waitForState(client: BatonClient, id: string, types: StateType[], timeoutMs = 60_000): Promise<FlowRun> {
  let last: FlowRun | undefined;
  try {
    return await waitFor(async () => {
      last = await client.readFlowRun(id);
      return types.includes(last.state_type) ? last : undefined;
    }, `flow run ${id} to be ${types.join(" or ")}`, timeoutMs);
  } catch (error) {
    throw new Error(`${(error as Error).message}; it is ${last?.state_type} (${last?.state.message ?? ""})`);
  }
}

/** Every log line of a run. */
export async function runLogs(client: BatonClient, flowRunId: string): Promise<string[]> {
  const page = await client.listLogs({ flow_run_id: flowRunId, limit: 1000 });
  return page.items.map((l) => l.message);
}
