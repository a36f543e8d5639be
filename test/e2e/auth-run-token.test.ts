import { startServer, type RunningServer } from "@baton/server";
import { BatonClient } from "baton";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { callApi } from "../helpers/call-api.js";
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from "../helpers/databases.js";
import { tempDir } from "../helpers/tmp.js";
import { WORKER_FIXTURE, runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer } from "./worker-setup.js";

/**
 * A run of a deployment in `pool` (made on first use), claimed with the test's admin key: the
 * claim's key is the one a run token is given to.
 */
async function claimedRun(t: TestServer, pool: string) {
  const pools = await t.client.call("listWorkPools", { query: { limit: 200 } });
  if (!pools.items.some((p) => p.name === pool)) await t.client.call("createWorkPool", { body: { name: pool, type: "process" } });
  const { deployment } = await t.client.call("upsertDeployment", { body: { flow_name: "claimed", name: pool, entrypoint: "x.ts:f", pull_steps: [], work_pool_name: pool } });
  const run = await t.client.call("runDeployment", { params: { id: deployment.id }, body: {} });
  const { flow_runs } = await t.client.call("claimFlowRuns", { params: { name: pool }, body: { worker_name: "test", limit: 100, lease_seconds: 600 } });
  if (!flow_runs.some((c) => c.flow_run.id === run.id)) throw new Error(`run ${run.id} was not claimed`);
  return run;
}

/**
 * A process worker on a server with authentication on: the run it launches gets a run token, not
 * the worker's key, and that token acts on the run only (test/fixtures/worker/flows/auth-probes.ts
 * logs what each attempt answered).
 */
describe.each(DATABASE_KINDS)("a flow run's credential (%s)", (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind);
    await t.client.call("setSecret", { params: { name: "mine" }, body: { value: "mine-value-123456", work_pools: ["*"] } });
    // Out of the run's scope (another pool): flow code may read only secrets whose scope covers its run.
    await t.client.call("setSecret", { params: { name: "theirs" }, body: { value: "theirs-value-123456", work_pools: ["another-pool"] } });
  }, 60_000);
  afterAll(async () => t?.close());

  test("is a run token that acts on its run only; the worker's key never reaches the run", async () => {
    const worker = startWorkerProcess(t, { pool: "tokens", type: "process", pollWaitSeconds: 5 });
    try {
      await worker.waitForEvent("started");
      // Another run, of another flow: the probe must not see it.
      const other = await t.client.createFlowRun({ flow_name: "someone-else" });
      await t.client.call("createLogs", {
        body: [{ flow_run_id: other.id, level: 20, message: "private line", timestamp: new Date().toISOString() }],
      });
      const { deployment } = await t.client.call("upsertDeployment", {
        body: {
          flow_name: "token-probe",
          name: "probe",
          entrypoint: "flows/auth-probes.ts:tokenProbe",
          pull_steps: [],
          work_pool_name: "tokens",
          job_variables: { working_dir: WORKER_FIXTURE, env: { MINE: "{{ baton.secrets.mine }}" } },
        },
      });
      const created = await t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: { otherRunId: other.id, deploymentId: deployment.id } } });
      const done = await waitForState(t.client, created.id, ["COMPLETED", "FAILED", "CRASHED"]);
      expect(done.state_type, done.state.message ?? "").toBe("COMPLETED");
      const logs = await waitFor(async () => {
        const lines = await runLogs(t.client, created.id);
        return lines.some((l) => l.startsWith("create deployment:")) ? lines : undefined;
      }, "the probe's last line");
      const answer = (what: string) => logs.find((l) => l.startsWith(`${what}: `))?.slice(what.length + 2);
      expect(answer("credential")).toBe("run token");
      expect(answer("API keys in the environment")).toBe("none");
      expect(answer("own deployment")).toBe("allowed");
      expect(answer("referenced secret")).toBe("allowed");
      expect(answer("other secret")).toBe("403");
      expect(answer("other run")).toBe("403");
      expect(answer("other run states")).toBe("403");
      expect(answer("other run logs")).toBe("403");
      expect(answer("list runs")).toBe("403");
      expect(answer("create deployment")).toBe("403");
      // The worker itself reads no secret value: it resolved MINE with the run's token.
      expect(worker.output()).not.toContain(t.apiKey);
    } finally {
      await worker.stop();
    }
  });

  test("the token stops working once the run has ended", async () => {
    const run = await claimedRun(t, "short-pool");
    const { token } = await t.client.call("createRunToken", { params: { id: run.id } });
    const asRun = async (path: string, init: { method?: string; body?: string } = {}) => (await callApi(t.apiUrl, token, init.method ?? "GET", path, undefined, init.body !== undefined ? { raw: init.body } : {})).status;
    expect(await asRun(`/flow_runs/${run.id}`)).toBe(200);
    await t.client.setFlowRunState(run.id, { type: "CANCELLED" }, true);
    await waitFor(async () => ((await asRun(`/flow_runs/${run.id}`)) === 403 ? true : undefined), "the ended run's token to be refused");
    expect(await asRun(`/flow_runs/${run.id}/set_state`, { method: "POST", body: JSON.stringify({ state: { type: "RUNNING" } }) })).toBe(403);
    // Its claim's key asks again: the run has ended (409), or it is no longer Pending or Running (403).
    expect([403, 409]).toContain((await callApi(t.apiUrl, t.apiKey, "POST", `/flow_runs/${run.id}/token`)).status);
  });
});

/**
 * A server whose run tokens live 10 s (long enough for a loaded machine to start the run's process
 * before its first token expires): a run outlives several of them by renewing with its own token.
 */
describe.each(DATABASE_KINDS)("a run token's renewal (%s)", (kind) => {
  const TTL = 10;
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind, { runTokenTtlSeconds: TTL });
  }, 60_000);
  afterAll(async () => t?.close());

  const asToken = (token: string, path: string, init: { method?: string } = {}) => callApi(t.apiUrl, token, init.method ?? "GET", path);

  test("a run keeps its API access past its first token's expiry: the heartbeat renews it", async () => {
    const worker = startWorkerProcess(t, { pool: "long", type: "process", pollWaitSeconds: 5 });
    try {
      await worker.waitForEvent("started");
      const { deployment } = await t.client.call("upsertDeployment", {
        body: {
          flow_name: "outlives-token",
          name: "long",
          entrypoint: "flows/auth-probes.ts:outlivesToken",
          pull_steps: [],
          work_pool_name: "long",
          job_variables: { working_dir: WORKER_FIXTURE, env: { BATON_FLOW_RUN_HEARTBEAT_SECONDS: "0.5" } },
        },
      });
      // Two and a half lifetimes: without renewal its first token is refused (401) long before the end.
      const created = await t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: { seconds: 2.5 * TTL } } });
      const done = await waitForState(t.client, created.id, ["COMPLETED", "FAILED", "CRASHED"], 120_000);
      expect(done.state_type, done.state.message ?? "").toBe("COMPLETED");
      const logs = await runLogs(t.client, created.id);
      expect(logs).toContain("own run after expiry: allowed");
      expect(logs).toContain("token renewed: yes");
    } finally {
      await worker.stop();
    }
  }, 150_000);

  test("a token renews its own run only, and not once the run is final; an unrenewed token expires", async () => {
    const mine = await claimedRun(t, "renewing");
    const theirs = await claimedRun(t, "renewing");
    const { token, expires } = await t.client.call("createRunToken", { params: { id: mine.id } });
    const { token: theirToken } = await t.client.call("createRunToken", { params: { id: theirs.id } });

    expect((await asToken(theirToken, `/flow_runs/${mine.id}/token`, { method: "POST" })).status).toBe(403);
    expect((await asToken(token, `/flow_runs/${theirs.id}/token`, { method: "POST" })).status).toBe(403);

    await new Promise((resolve) => setTimeout(resolve, 1100)); // expiries are whole seconds
    const renewed = await asToken(token, `/flow_runs/${mine.id}/token`, { method: "POST" });
    expect(renewed.status).toBe(201);
    expect(renewed.body.flow_run_id).toBe(mine.id);
    expect(Date.parse(renewed.body.expires)).toBeGreaterThan(Date.parse(expires));
    expect((await asToken(renewed.body.token, `/flow_runs/${mine.id}`)).status).toBe(200);

    // Past the first token's life: it is refused, the renewed one (or its own renewal) is not.
    await waitFor(async () => ((await asToken(token, `/flow_runs/${mine.id}`)).status === 401 ? true : undefined), "the first token to expire", TTL * 4000);
    const again = await asToken(renewed.body.token, `/flow_runs/${mine.id}/token`, { method: "POST" });
    expect(again.status).toBe(201);

    await t.client.setFlowRunState(mine.id, { type: "CANCELLED" }, true);
    // 403 from the scope check, or 409 from issuing when the scope check's view of the run is a moment old.
    const final = await asToken(again.body.token, `/flow_runs/${mine.id}/token`, { method: "POST" });
    expect([403, 409]).toContain(final.status);
    expect(final.body.message).toMatch(/has ended|CANCELLED already|is CANCELLED/);
  }, 60_000);
});

describe("with authentication off (baton dev)", () => {
  let t: TestServer;
  let server: RunningServer;
  let db: TestDatabase;
  const home = tempDir("baton-noauth-home-");
  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startServer({ databaseUrl: db.url, port: 0, logLevel: "warn", servicesLoopSeconds: 1, auth: { enabled: false } });
    const apiUrl = `${server.url}/api`;
    t = { db, server, apiUrl, apiKey: "", client: new BatonClient({ apiUrl }), home, close: async () => undefined };
  }, 60_000);
  afterAll(async () => {
    await t?.client.close();
    await server?.close();
    await db?.drop();
    home.remove();
  });

  test("the worker still hands its run a run token, and the run completes", async () => {
    const worker = startWorkerProcess(t, { pool: "dev", type: "process", pollWaitSeconds: 5 });
    try {
      await worker.waitForEvent("started");
      const other = await t.client.createFlowRun({ flow_name: "someone-else" });
      const { deployment } = await t.client.call("upsertDeployment", {
        body: { flow_name: "token-probe", name: "probe", entrypoint: "flows/auth-probes.ts:tokenProbe", pull_steps: [], work_pool_name: "dev", job_variables: { working_dir: WORKER_FIXTURE } },
      });
      const created = await t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: { otherRunId: other.id, deploymentId: deployment.id } } });
      const done = await waitForState(t.client, created.id, ["COMPLETED", "FAILED", "CRASHED"]);
      expect(done.state_type, done.state.message ?? "").toBe("COMPLETED");
      const logs = await waitFor(async () => {
        const lines = await runLogs(t.client, created.id);
        return lines.some((l) => l.startsWith("create deployment:")) ? lines : undefined;
      }, "the probe's last line");
      expect(logs).toContain("credential: run token");
      // Nothing is checked with authentication off: that is what `baton dev` says when it starts.
      expect(logs).toContain("other run: allowed");
    } finally {
      await worker.stop();
    }
  });

  test("a worker that records in-process (no BATON_API_URL) has no credential to hand over, and its run completes", async () => {
    const worker = startWorkerProcess(t, { pool: "local", type: "process", pollWaitSeconds: 5 }, { BATON_API_URL: "", BATON_SERVER_DATABASE_URL: db.url });
    try {
      await worker.waitForEvent("started");
      const other = await t.client.createFlowRun({ flow_name: "someone-else" });
      const { deployment } = await t.client.call("upsertDeployment", {
        body: { flow_name: "token-probe", name: "local", entrypoint: "flows/auth-probes.ts:tokenProbe", pull_steps: [], work_pool_name: "local", job_variables: { working_dir: WORKER_FIXTURE } },
      });
      const created = await t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: { otherRunId: other.id, deploymentId: deployment.id } } });
      const done = await waitForState(t.client, created.id, ["COMPLETED", "FAILED", "CRASHED"]);
      expect(done.state_type, done.state.message ?? "").toBe("COMPLETED");
      const logs = await waitFor(async () => {
        const lines = await runLogs(t.client, created.id);
        return lines.some((l) => l.startsWith("create deployment:")) ? lines : undefined;
      }, "the probe's last line");
      expect(logs).toContain("credential: none");
    } finally {
      await worker.stop();
    }
  });
});
