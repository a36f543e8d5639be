import { chmodSync, copyFileSync, existsSync, readFileSync, readdirSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BatonClient, allPages as all } from "baton";
import type { FlowRun } from "@baton/core";
import { startBaton, waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS, createTestDatabase, type DatabaseKind, type TestDatabase } from "../helpers/databases.js";
import { freePort, tempDir } from "../helpers/tmp.js";

/**
 * "Upgrades lose nothing": the database and key file a previous release left behind, made by
 * test/fixtures/upgrade/make-fixture.mjs with that release's code (one folder per release, named
 * by its commit), open under this one (its migrations run at start) with runs, logs, keys,
 * secrets, schedules and variables intact. Everything is checked through the public API and a
 * real worker: data, never the schema, so the test holds across future migrations.
 */
const FIXTURES = fileURLToPath(new URL("../fixtures/upgrade", import.meta.url));
const RELEASES = readdirSync(FIXTURES).filter((d) => existsSync(join(FIXTURES, d, "metadata.json")));

interface RecordedRun {
  id: string;
  name: string;
  state_type: string;
  state_name: string;
  state_message: string | null;
  deployment_id: string | null;
  parameters: Record<string, unknown>;
  tags: string[];
  states: Array<{ type: string; name: string }>;
  task_runs: Array<{ id: string; name: string; state_type: string; states: string[] }>;
  logs: Array<{ level: number; message: string; task_run: boolean }>;
}
interface RecordedKey {
  name: string;
  role: string;
  key: string;
  work_pools?: string[];
  revoked?: boolean;
  expires_in_seconds?: number;
  expires: string | null;
}
interface RecordedDatabase {
  file: string;
  work_pool_id: string;
  deployment_id: string;
  schedule_ids: string[];
  keys: Record<string, RecordedKey>;
  runs: Record<"completed" | "failed" | "cancelled" | "local", RecordedRun>;
  scheduled_runs: Array<{ id: string; expected_start_time: string }>;
  counts: { flow_runs: number; task_runs: number; logs: number };
}
interface Metadata {
  release: string;
  admin_key: string;
  secret: { name: string; value: string };
  variables: Record<string, unknown>;
  work_pool: { name: string; type: string; description: string; queues: Array<{ name: string; priority: number; concurrency_limit: number }> };
  deployment: {
    flow_name: string;
    name: string;
    entrypoint: string;
    tags: string[];
    parameters: Record<string, unknown>;
    job_variables: Record<string, unknown>;
    work_queue_name: string;
    version: string;
    description: string;
    schedules: Array<Record<string, unknown>>;
  };
  key_file: string;
  databases: Record<DatabaseKind, RecordedDatabase>;
}


/** A plain-SQL dump restored with a client library (no psql needed): psql's `\` meta-commands dropped. */
async function restoreDump(url: string, file: string): Promise<void> {
  const script = readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => !line.startsWith("\\"))
    .join("\n");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(script);
  } finally {
    await client.end();
  }
}

/** The HTTP status a call fails with, or 200 when it succeeds. */
async function statusOf(call: () => Promise<unknown>): Promise<number> {
  try {
    await call();
    return 200;
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (typeof status !== "number") throw error;
    return status;
  }
}

const sortedLogs = (logs: Array<{ level: number; message: string; task_run: boolean }>) => logs.map((l) => `${l.level} ${l.task_run ? "task" : "flow"} ${l.message}`).sort();

/** Hour and minute of a time on a time zone's wall clock. */
function wallClock(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
}

const CASES = RELEASES.flatMap((release) => DATABASE_KINDS.map((kind) => [release, kind] as const));

describe.each(CASES)("a database and key file of release %s (%s) under this release", (release, kind) => {
  const FIXTURE = join(FIXTURES, release);
  const meta = JSON.parse(readFileSync(join(FIXTURE, "metadata.json"), "utf8")) as Metadata;
  const data = meta.databases[kind];
  const home = tempDir("baton-upgrade-home-");
  let db: TestDatabase | undefined;
  let server: ReturnType<typeof startBaton>;
  let apiUrl: string;
  let admin: BatonClient;
  const clients: BatonClient[] = [];
  const clientWith = (apiKey: string) => {
    const client = new BatonClient({ apiUrl, apiKey });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    // The key file where the old server made it: in its Baton home, mode 0600.
    copyFileSync(join(FIXTURE, meta.key_file), join(home.path, "server.key"));
    chmodSync(join(home.path, "server.key"), 0o600);
    const args = ["server", "start", "--port", String(await freePort())];
    if (kind === "sqlite") {
      // The default database of that home: no URL, as a one-machine user runs it.
      copyFileSync(join(FIXTURE, data.file), join(home.path, "baton.db"));
    } else {
      db = await createTestDatabase("postgresql");
      await restoreDump(db.url, join(FIXTURE, data.file));
      args.push("--database-url", db.url);
    }
    server = startBaton(args, { env: { BATON_HOME: home.path, BATON_SERVER_SERVICES_LOOP_SECONDS: "1" } });
    await waitFor(() => server.output().includes("listening") || server.exitCode !== null, "the server to start");
    expect(server.exitCode, server.output()).toBeNull();
    apiUrl = `${/listening on (\S+?) /.exec(server.output())![1]}/api`;
    admin = clientWith(meta.admin_key);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("close", resolve));
    }
    await db?.drop();
    home.remove();
  });

  test("runs keep their states, state history, parameters and task runs with theirs", async () => {
    for (const [label, recorded] of Object.entries(data.runs)) {
      const run = await admin.readFlowRun(recorded.id);
      expect({ label, ...pick(run, ["name", "state_type", "state_name", "deployment_id", "parameters", "tags"]), message: run.state.message ?? null }).toEqual({
        label,
        ...pick(recorded, ["name", "state_type", "state_name", "deployment_id", "parameters", "tags"]),
        message: recorded.state_message,
      });
      const states = await all((cursor) => admin.flowRunStates(recorded.id, { limit: 200, cursor }));
      expect(states.map((s) => ({ type: s.type, name: s.name })), label).toEqual(recorded.states);
      // The events page's history reads the same states across runs, newest first (index 0025).
      const history = await all((cursor) => admin.call("listEventHistory", { query: { flow_run_id: recorded.id, limit: 200, cursor } }));
      expect(history.map((e) => ({ type: e.state_type, name: e.state_name })), `${label} history`).toEqual([...recorded.states].reverse());
      const taskRuns = await all((cursor) => admin.listTaskRuns({ flow_run_id: recorded.id, limit: 200, cursor }));
      expect(taskRuns.map((t) => ({ id: t.id, name: t.name, state_type: t.state_type })), label).toEqual(recorded.task_runs.map(({ id, name, state_type }) => ({ id, name, state_type })));
      for (const t of recorded.task_runs) expect((await admin.taskRunStates(t.id)).items.map((s) => s.type), `${label} ${t.name}`).toEqual(t.states);
    }
    // Nothing more, nothing less: every run of the fixture, and the task runs and logs of them all.
    const runs = await all((cursor) => admin.listFlowRuns({ limit: 200, cursor, sort: "created_asc" }));
    const fixtureIds = new Set([...Object.values(data.runs).map((r) => r.id), ...data.scheduled_runs.map((r) => r.id)]);
    expect(runs.filter((r) => fixtureIds.has(r.id)).length).toBe(data.counts.flow_runs);
    let taskRuns = 0;
    let logs = 0;
    for (const id of fixtureIds) {
      taskRuns += (await all((cursor) => admin.listTaskRuns({ flow_run_id: id, limit: 200, cursor }))).length;
      logs += (await all((cursor) => admin.listLogs({ flow_run_id: id, limit: 200, cursor }))).length;
    }
    expect({ taskRuns, logs }).toEqual({ taskRuns: data.counts.task_runs, logs: data.counts.logs });
  });

  test("every log line is there, with its level and its task run", async () => {
    for (const [label, recorded] of Object.entries(data.runs)) {
      const logs = await all((cursor) => admin.listLogs({ flow_run_id: recorded.id, limit: 200, cursor }));
      expect(sortedLogs(logs.map((l) => ({ level: l.level, message: l.message, task_run: l.task_run_id !== null }))), label).toEqual(sortedLogs(recorded.logs));
    }
    expect(data.runs.completed.logs.map((l) => l.message)).toContain(`secret sha256: ${createHash("sha256").update(meta.secret.value).digest("hex")}`);
  });

  test("API keys still authenticate with their roles; revoked and expired keys stay refused", async () => {
    const keys = data.keys;
    expect(await admin.call("whoAmI")).toMatchObject({ kind: "api_key", role: "admin", auth_enabled: true });
    for (const key of Object.values(keys)) {
      const client = clientWith(key.key);
      if (key.revoked || (key.expires && Date.parse(key.expires) < Date.now())) {
        expect(await statusOf(() => client.call("whoAmI")), key.name).toBe(401);
        continue;
      }
      expect(await client.call("whoAmI"), key.name).toMatchObject({ kind: "api_key", name: key.name, role: key.role });
      // Each role is still what it was: reads for all, writes by permission.
      expect(await statusOf(() => client.listFlowRuns({ limit: 1 })), key.name).toBe(200);
      expect(await statusOf(() => client.call("upsertDeployment", { body: { flow_name: "upgrade-probe", name: "probe", entrypoint: "flows/upgrade.ts:upgradeFlow", work_pool_name: meta.work_pool.name } })), key.name).toBe(key.role === "deployer" ? 200 : 403);
      expect(await statusOf(() => client.call("listApiKeys", { query: { limit: 100 } })), key.name).toBe(403);
    }
    expect(Object.values(keys).some((k) => k.expires && Date.parse(k.expires) < Date.now())).toBe(true);
    const listed = await all((cursor) => admin.call("listApiKeys", { query: { limit: 100, cursor } }));
    for (const key of Object.values(keys).filter((k) => !k.revoked)) {
      expect(listed.find((k) => k.name === key.name), key.name).toMatchObject({ role: key.role, work_pools: key.work_pools ?? null, expires: key.expires });
    }
  });

  test("variables keep their values and types", async () => {
    for (const [name, value] of Object.entries(meta.variables)) {
      expect((await admin.call("readVariable", { params: { name } })).value, name).toEqual(value);
    }
  });

  test("the work pool, its queue and the deployment with its schedules are intact", async () => {
    const pool = await admin.call("readWorkPool", { params: { name: meta.work_pool.name } });
    expect(pool).toMatchObject({ id: data.work_pool_id, type: meta.work_pool.type, description: meta.work_pool.description });
    const queues = await admin.call("listWorkQueues", { params: { name: meta.work_pool.name } });
    for (const q of meta.work_pool.queues) expect(queues.items.find((x: { name: string }) => x.name === q.name)).toMatchObject(q);
    const deployment = await admin.call("readDeployment", { params: { id: data.deployment_id } });
    expect(deployment).toMatchObject({
      name: meta.deployment.name,
      flow_name: meta.deployment.flow_name,
      entrypoint: meta.deployment.entrypoint,
      description: meta.deployment.description,
      version: meta.deployment.version,
      tags: meta.deployment.tags,
      parameters: meta.deployment.parameters,
      job_variables: meta.deployment.job_variables,
      work_pool_name: meta.work_pool.name,
      work_queue_name: meta.deployment.work_queue_name,
      paused: false,
    });
    expect(deployment.schedules.map((s) => ({ id: s.id, active: s.active, ...pick(s.schedule, ["cron", "interval", "anchor_date", "timezone"]) }))).toEqual(
      meta.deployment.schedules.map((spec, i) => ({ id: data.schedule_ids[i], active: true, ...spec })),
    );
    const secrets = await admin.call("listSecrets", { query: { limit: 100 } });
    expect(secrets.items.map((s) => s.name)).toContain(meta.secret.name);
  });

  // The generator's two schedules: daily at 03:15 in Paris, and every 2 hours from 00:40 UTC.
  test("the scheduler carries on from the old schedules: future runs on both, on their times, never twice", async () => {
    expect(meta.deployment.schedules).toEqual([
      { cron: "15 3 * * *", timezone: "Europe/Paris" },
      { interval: 7200, anchor_date: "2026-01-01T00:40:00.000Z", timezone: "UTC" },
    ]);
    for (const old of data.scheduled_runs) expect((await admin.readFlowRun(old.id)).expected_start_time).toBe(old.expected_start_time);
    const now = Date.now();
    const upcoming = await waitFor(async () => {
      const runs = await all((cursor) => admin.listFlowRuns({ deployment_id: data.deployment_id, upcoming: "only", limit: 200, cursor }));
      const future = runs.filter((r) => Date.parse(r.expected_start_time!) > now);
      const cron = future.filter((r) => wallClock(r.expected_start_time!, "Europe/Paris") === "03:15");
      const interval = future.filter((r) => (Date.parse(r.expected_start_time!) - Date.parse("2026-01-01T00:40:00.000Z")) % 7_200_000 === 0);
      return cron.length >= 1 && interval.length >= 1 ? { future, cron, interval } : undefined;
    }, "runs scheduled ahead on both schedules");
    // Every upcoming run is on one of the two schedules, and no time is scheduled twice.
    expect(upcoming.cron.length + upcoming.interval.length).toBe(upcoming.future.length);
    const times = upcoming.future.map((r) => r.expected_start_time);
    expect(new Set(times).size).toBe(times.length);
  });

  test("the secret still decrypts: a worker with the old pool-limited key runs the old deployment, which resolves it", async () => {
    // Runs the old schedules left due would be claimed too: cancel them, they are not this test's.
    const due = (await all((cursor) => admin.listFlowRuns({ deployment_id: data.deployment_id, state: "SCHEDULED", limit: 200, cursor }))).filter((r) => Date.parse(r.expected_start_time!) <= Date.now() + 60_000);
    for (const run of due) await admin.call("cancelFlowRun", { params: { id: run.id } });
    const run: FlowRun = await admin.call("runDeployment", { params: { id: data.deployment_id }, body: { name: "after-upgrade", parameters: { rows: 5 }, job_variables: { working_dir: FIXTURES } } });
    const poolKey = data.keys["upgrade-pool-worker"]!;
    const worker = startBaton(["worker", "start", "--pool", meta.work_pool.name, "--limit", "1"], { env: { BATON_HOME: home.path, BATON_API_URL: apiUrl, BATON_API_KEY: poolKey.key } });
    try {
      const done = await waitFor(async () => {
        const r = await admin.readFlowRun(run.id);
        return ["COMPLETED", "FAILED", "CRASHED"].includes(r.state_type) ? r : undefined;
      }, `the run after the upgrade to end; worker output:\n${worker.output()}`, 60_000);
      expect(done.state_type, `${done.state.message}\n${worker.output()}`).toBe("COMPLETED");
      expect(done.worker_name).not.toBeNull();
    } finally {
      worker.kill("SIGTERM");
      await new Promise((resolve) => (worker.exitCode !== null ? resolve(null) : worker.once("close", resolve)));
    }
    const logs = await waitFor(async () => {
      const lines = (await all((cursor) => admin.listLogs({ flow_run_id: run.id, limit: 200, cursor }))).map((l) => l.message);
      return lines.some((l) => l.startsWith("Finished in state")) ? lines : undefined;
    }, "the run's last log line");
    expect(logs).toContain(`secret sha256: ${createHash("sha256").update(meta.secret.value).digest("hex")}`);
    expect(logs).toContain("sum is 15");
  });
});

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Pick<T, K>;
}
