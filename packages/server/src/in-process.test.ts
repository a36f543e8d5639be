import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { uuidv7, type Transport } from "@baton/core";
import { createTestDatabase, type TestDatabase } from "../../../test/helpers/databases.js";
import { openInProcessTransport, startServer, type RunningServer } from "./index.js";
import { DATABASE_KINDS } from "../test/harness.js";

async function http(server: RunningServer, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

describe.each(DATABASE_KINDS)("a listening server and an in-process client on %s", (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("share one database at the same time", async () => {
    const database: TestDatabase = await createTestDatabase(kind);
    cleanups.push(() => database.drop());
    const server = await startServer({ databaseUrl: database.url, port: 0, logLevel: "silent", auth: { enabled: false } });
    cleanups.push(() => server.close());
    const transport: Transport = await openInProcessTransport({ databaseUrl: database.url });
    cleanups.push(() => transport.close());
    expect(transport.description).toBe(`${database.url} (in-process)`.replace(/\/\/([^:@/]+):[^@]*@/, "//$1:****@"));

    // Both sides write at once: runs, states and reports, interleaved.
    const viaTransport = async (n: number) => {
      const run = await transport.request({ method: "POST", path: "/flow_runs", body: { flow_name: "shared", name: `in-process-${n}` } });
      expect(run.status).toBe(201);
      const id = (run.body as { id: string }).id;
      const taskRunId = uuidv7();
      const report = await transport.request({
        method: "POST",
        path: "/reports",
        body: {
          task_runs: [{ id: taskRunId, flow_run_id: id, task_key: "t", name: "t-0", dynamic_key: "0" }],
          task_run_states: [{ task_run_id: taskRunId, state: { type: "RUNNING" } }, { task_run_id: taskRunId, state: { type: "COMPLETED" } }],
        },
      });
      expect(report.status).toBe(200);
      return id;
    };
    const viaHttp = async (n: number) => {
      const run = await http(server, "POST", "/flow_runs", { flow_name: "shared", name: `http-${n}` });
      expect(run.status).toBe(201);
      expect((await http(server, "POST", `/flow_runs/${run.body.id}/set_state`, { state: { type: "RUNNING" } })).body.status).toBe("ACCEPT");
      return run.body.id as string;
    };
    const ids = await Promise.all(Array.from({ length: 10 }, (_, n) => (n % 2 === 0 ? viaTransport(n) : viaHttp(n))));

    const listedByServer = await http(server, "GET", "/flow_runs?flow_name=shared&limit=100");
    expect(listedByServer.body.items.map((r: { id: string }) => r.id).sort()).toEqual([...ids].sort());
    const listedInProcess = await transport.request({ method: "GET", path: "/flow_runs", query: { flow_name: "shared", state: ["RUNNING"], limit: 100 } });
    expect((listedInProcess.body as { items: unknown[] }).items).toHaveLength(5);
    const taskRuns = await http(server, "GET", `/task_runs?flow_run_id=${ids[0]}`);
    expect(taskRuns.body.items[0].state_type).toBe("COMPLETED");
  });

  it("answers errors in-process exactly as over HTTP", async () => {
    const database: TestDatabase = await createTestDatabase(kind);
    cleanups.push(() => database.drop());
    const transport = await openInProcessTransport({ databaseUrl: database.url });
    cleanups.push(() => transport.close());
    const missing = await transport.request({ method: "GET", path: `/flow_runs/${uuidv7()}` });
    expect(missing).toMatchObject({ status: 404, body: { code: "FlowRunNotFound" } });
    const bad = await transport.request({ method: "POST", path: "/flow_runs", body: { flow_name: "x", tags: "nope" } });
    expect(bad).toMatchObject({ status: 422, body: { issues: [{ path: "body.tags" }] } });
    const controller = new AbortController();
    controller.abort();
    await expect(transport.request({ method: "GET", path: "/health", signal: controller.signal })).rejects.toThrow();
  });
});

const WRITER = fileURLToPath(new URL("../test/fixtures/in-process-writer.mjs", import.meta.url));

/** Run the writer fixture in its own process (it loads the built package, as `baton run` does). */
function writeFromAnotherProcess(databaseUrl: string, runs: number, tasks: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, databaseUrl, String(runs), String(tasks)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve((JSON.parse(out) as { ids: string[] }).ids) : reject(new Error(`writer exited ${code}: ${err}`))));
  });
}

describe("two processes on one SQLite file", () => {
  it("never see 'database is locked': a server and in-process clients write at once", async () => {
    const database = await createTestDatabase("sqlite");
    const server = await startServer({ databaseUrl: database.url, port: 0, logLevel: "silent", auth: { enabled: false } });
    try {
      const fromServer = async () => {
        const ids: string[] = [];
        for (let n = 0; n < 10; n++) {
          const run = await http(server, "POST", "/flow_runs", { flow_name: "two-processes", name: `server-${n}` });
          expect(run.status).toBe(201);
          const reported = await http(server, "POST", "/reports", {
            task_runs: Array.from({ length: 50 }, (_, i) => ({ id: uuidv7(), flow_run_id: run.body.id, task_key: "s", name: `s-${i}`, dynamic_key: String(i) })),
          });
          expect(reported.status).toBe(200);
          ids.push(run.body.id);
        }
        return ids;
      };
      const [a, b, c] = await Promise.all([writeFromAnotherProcess(database.url, 10, 100), writeFromAnotherProcess(database.url, 10, 100), fromServer()]);
      const all = [...a, ...b, ...c];
      const listed = await http(server, "GET", "/flow_runs?flow_name=two-processes&limit=100");
      expect(listed.body.items.map((r: { id: string }) => r.id).sort()).toEqual(all.sort());
      const completed = await http(server, "GET", "/flow_runs?flow_name=two-processes&state=COMPLETED&limit=100");
      expect(completed.body.items).toHaveLength(20);
      const taskRuns = await http(server, "GET", `/task_runs?flow_run_id=${a[9]}&state=COMPLETED&limit=500`);
      expect(taskRuns.body.items).toHaveLength(100);
    } finally {
      await server.close();
      await database.drop();
    }
  });
});

describe("startServer", () => {
  it("creates the SQLite folder, listens on a free port and closes gracefully", async () => {
    const database = await createTestDatabase("sqlite");
    const nested = database.url.replace(/baton\.db$/, "deeper/still/baton.db");
    try {
      const server = await startServer({ databaseUrl: nested, port: 0, logLevel: "silent" });
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await http(server, "GET", "/ready")).body).toEqual({ status: "ready", database: "sqlite" });
      await server.close();
      await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();
    } finally {
      await database.drop();
    }
  });

  it("refuses a database URL it cannot use, without printing its password", async () => {
    await expect(startServer({ databaseUrl: "mysql://root:hunter2@localhost/db", port: 0, logLevel: "silent" })).rejects.toThrow(/InvalidDatabaseUrl(?![\s\S]*hunter2)/);
    await expect(startServer({ databaseUrl: "postgresql://nobody:hunter2@127.0.0.1:1/none", port: 0, logLevel: "silent" })).rejects.toThrow(/DatabaseUnavailable(?![\s\S]*hunter2)/);
  });
});
