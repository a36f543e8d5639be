import { fileURLToPath } from "node:url";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBaton, startBaton, waitFor } from "../helpers/cli.js";
import { startBatonServer } from "../helpers/baton-server.js";
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from "../helpers/databases.js";
import { freePort, tempDir } from "../helpers/tmp.js";

const ETL = fileURLToPath(new URL("../fixtures/etl", import.meta.url));
const CLI_FLOWS = fileURLToPath(new URL("../fixtures/cli", import.meta.url));
const CREATED = /Flow run (\S+) \(([0-9a-f-]{36})\) created/;

describe.each(DATABASE_KINDS)("the baton command against baton server start on %s", (kind) => {
  let db: TestDatabase;
  let home: { path: string; remove(): void };
  let server: ChildProcess & { output(): string };
  let env: Record<string, string>;
  let etlRun: { id: string; name: string };
  let failedRunId: string;

  const baton = (args: string[], cwd = ETL) => runBaton(args, { cwd, env });

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    home = tempDir("baton-home-");
    // Quick crash detection, for the test of a killed run.
    const started = await startBatonServer({ home: home.path, databaseUrl: db.url, env: { BATON_SERVER_HEARTBEAT_TIMEOUT_SECONDS: "3", BATON_SERVER_SERVICES_LOOP_SECONDS: "1" } });
    server = started.child;
    env = { BATON_HOME: home.path, BATON_API_URL: started.apiUrl };

    const etl = await baton(["run", "flows/etl.ts:etlFlow", "--param", "limit=2"]);
    expect(etl.code, etl.stderr).toBe(0);
    const [, name, id] = CREATED.exec(etl.stdout)!;
    etlRun = { id: id!, name: name! };
    const failed = await baton(["run", "flows/failing.ts:failingFlow"], CLI_FLOWS);
    expect(failed.code).toBe(1);
    failedRunId = CREATED.exec(failed.stdout)![2]!;
  });

  afterAll(async () => {
    if (server.exitCode === null) {
      server.kill("SIGKILL");
      await new Promise((resolve) => server.once("close", resolve));
    }
    await db.drop();
    home.remove();
  });

  it("prints where it listens and which database, redacted", () => {
    expect(server.output()).toContain(`Baton server listening on http://127.0.0.1:`);
    expect(server.output()).toContain(`Database: ${kind === "sqlite" ? "sqlite://" : "postgresql://"}`);
  });

  it("lists flow runs as a table, as JSON, and filtered", async () => {
    const table = await baton(["flow-run", "ls"]);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^ID\s+NAME\s+FLOW\s+STATE\s+START\s+DURATION$/);
    expect(table.stdout).toMatch(new RegExp(`${etlRun.id}\\s+${etlRun.name}\\s+etl-flow\\s+Completed\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+\\S+`));
    expect(table.stdout).toMatch(new RegExp(`${failedRunId}\\s+\\S+\\s+failing-flow\\s+Failed`));

    const json = JSON.parse((await baton(["flow-run", "ls", "--json"])).stdout) as Array<{ id: string; state_type: string }>;
    expect(json.map((r) => r.id)).toEqual([failedRunId, etlRun.id]); // newest first

    const failed = JSON.parse((await baton(["flow-run", "ls", "--state", "failed", "--json"])).stdout) as Array<{ id: string }>;
    expect(failed.map((r) => r.id)).toEqual([failedRunId]);
    const byFlow = JSON.parse((await baton(["flow-run", "ls", "--flow", "etl-flow", "--json"])).stdout) as Array<{ id: string }>;
    expect(byFlow.map((r) => r.id)).toEqual([etlRun.id]);
    const one = JSON.parse((await baton(["flow-run", "ls", "--limit", "1", "--json"])).stdout) as Array<{ id: string }>;
    expect(one.map((r) => r.id)).toEqual([failedRunId]);
    const none = await baton(["flow-run", "ls", "--state", "CANCELLED"]);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain("No flow runs match");
  });

  it("inspects a run: parameters, state history, task runs and result", async () => {
    const text = await baton(["flow-run", "inspect", etlRun.id]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`Flow run ${etlRun.name}`);
    expect(text.stdout).toContain('"limit":2');
    expect(text.stdout).toMatch(/State history[\s\S]*Pending[\s\S]*Running[\s\S]*Completed/);
    expect(text.stdout).toMatch(/Task runs \(3\)/);
    for (const task of ["extract", "transform", "load"]) expect(text.stdout).toMatch(new RegExp(`${task}-\\S*\\s+Completed`));
    expect(text.stdout).toMatch(/Result\n2/);

    const json = JSON.parse((await baton(["flow-run", "inspect", etlRun.id, "--json"])).stdout);
    expect(json.flow_run).toMatchObject({ id: etlRun.id, flow_name: "etl-flow", parameters: { limit: 2, uppercase: true }, state_type: "COMPLETED" });
    expect(json.states.map((s: { type: string }) => s.type)).toEqual(["PENDING", "RUNNING", "COMPLETED"]);
    expect(json.task_runs.map((t: { task_key: string }) => t.task_key)).toEqual(["extract", "transform", "load"]);
  });

  it("inspects a failed run with its error and stack", async () => {
    const text = await baton(["flow-run", "inspect", failedRunId]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/explode-\S*\s+Failed/);
    expect(text.stdout).toMatch(/Error\n[\s\S]*the extract step exploded/);
    expect(text.stdout).toMatch(/failing\.ts:\d+/);
  });

  it("says when a run does not exist or the ID is not one", async () => {
    const unknown = await baton(["flow-run", "inspect", "01900000-0000-7000-8000-000000000000"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("01900000-0000-7000-8000-000000000000");
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    const notId = await baton(["flow-run", "logs", "swift-otter"]);
    expect(notId.code).toBe(2);
    expect(notId.stderr).toContain("is not a flow run ID");
  });

  it("prints a run's logs, as text and as JSON lines", async () => {
    const text = await baton(["flow-run", "logs", etlRun.id]);
    expect(text.code, text.stderr).toBe(0);
    // As the run's own terminal wrote it: the task run's name, not the logger's.
    expect(text.stdout).toMatch(/\d\d:\d\d:\d\d\.\d{3} \| INFO +\| Task run 'load-\d+' - Loaded item: ALPHA/);
    expect(text.stdout).toContain("Loaded item: BETA");
    expect(text.stdout).not.toContain("Loaded item: GAMMA");

    const json = await baton(["flow-run", "logs", etlRun.id, "--json"]);
    const lines = json.stdout.trim().split("\n").map((l) => JSON.parse(l) as { message: string; flow_run_id: string; level: number });
    expect(lines.filter((l) => l.message.startsWith("Loaded item")).map((l) => l.message)).toEqual(["Loaded item: ALPHA", "Loaded item: BETA"]);
    expect(lines.every((l) => l.flow_run_id === etlRun.id)).toBe(true);
  });

  it("follows the logs of a running flow until it ends", async () => {
    const run = startBaton(["run", "flows/slow.ts:slowFlow", "--param", "steps=8", "--param", "delayMs=300"], { cwd: CLI_FLOWS, env });
    try {
      const id = await waitFor(() => CREATED.exec(run.output())?.[2], "the slow run to be created");
      const follow = await baton(["flow-run", "logs", id, "--follow"]);
      expect(follow.code, follow.stderr).toBe(0);
      for (let i = 1; i <= 8; i++) expect(follow.stdout).toContain(`step ${i} of 8`);
      // It returned because the run ended, not because it gave up early.
      const state = JSON.parse((await baton(["flow-run", "inspect", id, "--json"])).stdout).flow_run.state_type;
      expect(state).toBe("COMPLETED");
    } finally {
      if (run.exitCode === null) await new Promise((resolve) => run.once("close", resolve));
    }
  });

  it("marks the run of a killed baton run process Crashed", async () => {
    const run = startBaton(["run", "flows/slow.ts:slowFlow", "--param", "steps=200", "--param", "delayMs=100"], {
      cwd: CLI_FLOWS,
      env: { ...env, BATON_FLOW_RUN_HEARTBEAT_SECONDS: "1" },
    });
    const id = await waitFor(() => CREATED.exec(run.output())?.[2], "the run to be created");
    await waitFor(() => run.output().includes("step 3 of 200"), "the flow to be running");
    const closed = new Promise((resolve) => run.once("close", resolve));
    run.kill("SIGKILL");
    await closed;
    const crashed = await waitFor(
      async () => {
        const flowRun = JSON.parse((await baton(["flow-run", "inspect", id, "--json"])).stdout).flow_run;
        return flowRun.state_type === "CRASHED" ? flowRun : undefined;
      },
      "the server to mark the run Crashed",
      30_000,
    );
    expect(crashed.state.message).toBeTruthy();
    const logs = await baton(["flow-run", "logs", id]);
    expect(logs.stdout).toContain("step 1 of 200");
  });

  it("shows the client and server versions", async () => {
    const text = await baton(["version"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Version:\s+\d+\.\d+\.\d+/);
    expect(text.stdout).toContain(`API target:  ${env.BATON_API_URL}`);
    expect(text.stdout).toMatch(new RegExp(`Server:\\s+\\d+\\.\\d+\\.\\d+ \\(API \\d+, ${kind}\\)`));
    const json = JSON.parse((await baton(["version", "--json"])).stdout);
    expect(json).toMatchObject({ api_target: env.BATON_API_URL, server: { database: kind } });
  });

  it("refuses to start a second server on the same port, saying what to do", async () => {
    const port = new URL(env.BATON_API_URL!).port;
    const second = await runBaton(["server", "start", "--port", port, "--database-url", db.url], { env: { BATON_HOME: home.path } });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`127.0.0.1:${port} is already in use`);
    expect(second.stderr).toContain("--port");
  });

  it("stops gracefully on SIGTERM", async () => {
    const closed = new Promise<number | null>((resolve) => server.once("close", (code) => resolve(code)));
    server.kill("SIGTERM");
    expect(await closed).toBe(0);
    expect(server.output()).toContain("Server stopped");
  });
});

describe("baton version without a server", () => {
  it("describes the local database, or says the server is unreachable", async () => {
    const home = tempDir("baton-home-");
    try {
      const local = await runBaton(["version", "--json"], { env: { BATON_HOME: home.path } });
      expect(local.code, local.stderr).toBe(0);
      expect(JSON.parse(local.stdout)).toMatchObject({ server: null, api_target: expect.stringContaining(`${home.path}/baton.db`) });

      const port = await freePort();
      const down = await runBaton(["version"], { env: { BATON_HOME: home.path, BATON_API_URL: `http://127.0.0.1:${port}/api` } });
      expect(down.code).toBe(0);
      expect(down.stdout).toMatch(/Server:\s+unreachable: .*cannot reach the Baton API/);
    } finally {
      home.remove();
    }
  });
});
