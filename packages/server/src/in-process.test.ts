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
    const server = await startServer({ databaseUrl: database.url, port: 0, logLevel: "silent" });
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
