import { existsSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runBaton, waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { WORKER_FIXTURE, runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer } from "./worker-setup.js";

const API_TOKEN = `sk-live-${randomBytes(16).toString("hex")}`;
const ENV_TOKEN = `env-tok-${randomBytes(16).toString("hex")}`;
const SECRETS = [API_TOKEN, ENV_TOKEN];

/** Everything stored, as bytes a person with a copy of the database would see. */
async function databaseText(db: TestDatabase): Promise<string> {
  if (db.kind === "sqlite") {
    const file = db.url.replace(/^sqlite:\/\//, "");
    // The WAL holds what is not checkpointed yet: read it too.
    return [file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString("latin1")).join("\n");
  }
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const tables = await client.query<{ tablename: string }>("select tablename from pg_tables where schemaname = 'public'");
    const out: string[] = [];
    for (const { tablename } of tables.rows) out.push(JSON.stringify((await client.query(`select * from "${tablename}"`)).rows));
    return out.join("\n");
  } finally {
    await client.end();
  }
}

const leaked = (text: string) => SECRETS.filter((s) => text.includes(s));

/**
 * A deployment whose pull step and job variables use secrets runs a flow
 * (test/fixtures/worker/flows/auth-probes.ts `leaky`) that reads one itself, logs both, prints
 * them, logs one in a task and throws it. No value may be found afterwards: not in the run's logs,
 * states or task runs through the API, not in the database, not in the CLI's output, not in the
 * worker's output.
 */
describe.each(DATABASE_KINDS)("secret values a run resolves are masked everywhere (%s)", (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind);
    await t.client.call("setSecret", { params: { name: "api-token" }, body: { value: API_TOKEN, work_pools: ["*"] } });
    await t.client.call("setSecret", { params: { name: "env-token" }, body: { value: ENV_TOKEN, work_pools: ["*"] } });
  }, 60_000);
  afterAll(async () => t?.close());

  test("logged, printed, thrown: only **** leaves the run", async () => {
    const worker = startWorkerProcess(t, { pool: "masking", type: "process", pollWaitSeconds: 5 });
    let runId: string;
    try {
      await worker.waitForEvent("started");
      const { deployment } = await t.client.call("upsertDeployment", {
        body: {
          flow_name: "leaky",
          name: "leaky",
          entrypoint: "flows/auth-probes.ts:leaky",
          pull_steps: [
            { set_working_directory: { directory: WORKER_FIXTURE } },
            { run_shell_script: { script: 'echo "pulled with $TOKEN"', env: { TOKEN: "{{ baton.secrets.api-token }}" } } },
          ],
          work_pool_name: "masking",
          job_variables: { env: { ENV_TOKEN: "{{ baton.secrets.env-token }}" } },
        },
      });
      const created = await t.client.call("runDeployment", { params: { id: deployment.id }, body: {} });
      runId = created.id;
      const done = await waitForState(t.client, runId, ["COMPLETED", "FAILED", "CRASHED"]);
      expect(done.state_type, done.state.message ?? "").toBe("FAILED");
      expect(done.state.message).toContain("failing on purpose with **** in the message");
      const logs = await waitFor(async () => {
        const lines = await runLogs(t.client, runId);
        return lines.some((l) => l.startsWith("Finished in state")) ? lines : undefined;
      }, "the run's last log line");
      expect(logs).toContain("the api token is ****");
      expect(logs).toContain("the env token is ****");
      expect(logs.some((l) => l.includes("the task logs **** too"))).toBe(true);
      await waitFor(() => (worker.output().includes("printed on stderr: ****") ? true : undefined), "the run's output in the worker's");
      expect(worker.output()).toContain("printed on stdout: **** and ****");
      expect(worker.output()).toContain("pulled with ****");
    } finally {
      await worker.stop();
    }
    expect(leaked(worker.output())).toEqual([]);

    // The API: logs, the run, its states, its task runs.
    const answers = [
      await t.client.listLogs({ flow_run_id: runId, limit: 1000 }),
      await t.client.readFlowRun(runId),
      await t.client.call("flowRunStates", { params: { id: runId } }),
      await t.client.listTaskRuns({ flow_run_id: runId }),
    ];
    expect(leaked(JSON.stringify(answers))).toEqual([]);

    // The CLI, as a user reads the run.
    const env = { BATON_HOME: t.home.path, BATON_API_URL: t.apiUrl, BATON_API_KEY: t.apiKey };
    for (const args of [["flow-run", "logs", runId], ["flow-run", "inspect", runId]]) {
      const cli = await runBaton(args, { env });
      expect(cli.code, cli.stderr).toBe(0);
      expect(leaked(cli.stdout + cli.stderr)).toEqual([]);
      expect(cli.stdout).toContain("****");
    }

    // The database, byte for byte (secrets are stored encrypted, so no table holds a value in clear).
    const stored = await databaseText(t.db);
    expect(stored).toContain("****");
    expect(leaked(stored)).toEqual([]);
  });
});
