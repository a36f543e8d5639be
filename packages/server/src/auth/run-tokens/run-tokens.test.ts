import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../../test/harness.js";
import { ensureBootstrapKey } from "../bootstrap.js";
import { bearer } from "../test-keys.js";
import { readRunTokenClaims } from "@baton/core";
import { RUN_TOKEN_MAX_SECONDS, checkRunTokenTtl, forgetRunFacts, issueRunToken, registerRunTokenTtl, verifyRunToken } from "./index.js";

type Method = "GET" | "POST" | "PUT" | "DELETE";
const now = () => new Date().toISOString();

describe.each(DATABASE_KINDS)("run tokens on %s", (kind) => {
  let app: TestApp;
  let home: string;
  let admin: string;
  let workerKey: string;
  let deploymentId: string;
  let runA: string;
  let runB: string;
  let token: string;
  const call = async (method: Method, url: string, key: string, payload?: unknown) => {
    const answer = await app.app.inject({ method, url: `/api${url}`, headers: bearer(key), ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: answer.statusCode, body: answer.body.length > 0 ? answer.json() : null };
  };
  const ok = async (method: Method, url: string, key: string, payload?: unknown) => {
    const answer = await call(method, url, key, payload);
    expect(answer.status, `${method} ${url}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
    return answer.body;
  };
  const refused = async (method: Method, url: string, payload?: unknown) => {
    const answer = await call(method, url, token, payload);
    expect(answer.status, `${method} ${url}: ${JSON.stringify(answer.body)}`).toBe(403);
    expect(answer.body.message).toContain(`can act only on flow run ${runA}`);
  };
  const runOf = async () => (await ok("POST", `/deployments/${deploymentId}/runs`, admin, {})).id as string;
  const pending = (id: string) => ok("POST", `/flow_runs/${id}/set_state`, admin, { state: { type: "PENDING" } });

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "baton-run-token-home-"));
    app = await openTestApp(kind, { auth: { enabled: true }, batonHome: home });
    admin = (await ensureBootstrapKey(app.db, undefined))!.key;
    workerKey = (await ok("POST", "/api_keys", admin, { name: "w", role: "worker" })).key;
    for (const [name, value] of [["deploy-key", "dk-value-1234"], ["db-pass", "db-value-5678"], ["pool-secret", "pool-value-9"], ["other", "other-value-0000"]]) {
      await ok("PUT", `/secrets/${name}`, admin, { value });
    }
    await ok("POST", "/work_pools", admin, { name: "p", type: "process" });
    await ok("PATCH", "/work_pools/p", admin, {
      base_job_template: {
        job_configuration: { command: "{{ command }}", env: "{{ env }}", labels: { pool: "{{ baton.secrets.pool-secret }}" } },
        variables: { type: "object", properties: { command: { type: "string" }, env: { type: "object" } } },
      },
    });
    const deployed = await ok("POST", "/deployments", admin, {
      flow_name: "etl",
      name: "prod",
      entrypoint: "flows/etl.ts:etl",
      work_pool_name: "p",
      pull_steps: [{ git_clone: { repository: "https://example.com/org/repo.git", access_token: "{{ baton.secrets.deploy-key }}" } }],
      job_variables: { env: { DB: "{{ baton.secrets.db-pass }}" } },
    });
    deploymentId = deployed.deployment.id;
    runA = await runOf();
    runB = await runOf();
    await pending(runA);
    await pending(runB);
    const issued = await ok("POST", `/flow_runs/${runA}/token`, workerKey);
    expect(issued).toMatchObject({ flow_run_id: runA, token: expect.stringMatching(/^batr_[A-Za-z0-9_-]+$/) });
    const lifetime = Date.parse(issued.expires) - Date.now();
    expect(lifetime).toBeGreaterThan(23 * 3600_000);
    expect(lifetime).toBeLessThanOrEqual(24 * 3600_000);
    token = issued.token;
  }, 120_000);
  afterAll(async () => {
    await app?.cleanup();
    rmSync(home, { recursive: true, force: true });
  });

  it("acts on its own run: states, heartbeats, task runs, reports, logs, its deployment, subflows", async () => {
    expect((await ok("GET", "/auth/whoami", token)).flow_run_id).toBe(runA);
    expect((await ok("GET", `/flow_runs/${runA}`, token)).id).toBe(runA);
    expect((await ok("POST", `/flow_runs/${runA}/set_state`, token, { state: { type: "RUNNING" } })).status).toBe("ACCEPT");
    await ok("POST", `/flow_runs/${runA}/heartbeat`, token);
    await ok("GET", `/flow_runs/${runA}/states`, token);
    const taskRun = randomUUID();
    const report = await ok("POST", "/reports", token, {
      task_runs: [{ id: taskRun, flow_run_id: runA, task_key: "t", name: "t-0", dynamic_key: "0" }],
      task_run_states: [{ task_run_id: taskRun, state: { type: "RUNNING", timestamp: now() } }],
      logs: [{ flow_run_id: runA, task_run_id: taskRun, level: 20, message: "in a task", timestamp: now() }],
    });
    expect(report).toMatchObject({ task_runs_created: 1, states_accepted: 1, logs_written: 1 });
    await ok("POST", `/task_runs/${taskRun}/set_state`, token, { state: { type: "COMPLETED" } });
    await ok("GET", `/task_runs/${taskRun}`, token);
    await ok("GET", `/task_runs/${taskRun}/states`, token);
    await ok("GET", `/task_runs?flow_run_id=${runA}`, token);
    await ok("POST", "/logs", token, [{ flow_run_id: runA, level: 20, message: "hello", timestamp: now() }]);
    expect((await ok("GET", `/logs?flow_run_id=${runA}`, token)).items.length).toBe(2);
    expect((await ok("GET", `/deployments/${deploymentId}`, token)).id).toBe(deploymentId);
    await ok("POST", "/flows", token, { name: "child" });
    await ok("PUT", "/variables/region", admin, { value: "eu" });
    expect((await ok("GET", "/variables/region", token)).value).toBe("eu");

    // A subflow: created under a task run of its run, then recorded like the run itself.
    const parentTask = randomUUID();
    await ok("POST", "/task_runs", token, { id: parentTask, flow_run_id: runA, task_key: "child", name: "child-0", dynamic_key: "0" });
    const child = await ok("POST", "/flow_runs", token, { flow_name: "child", parent_flow_run_id: runA, parent_task_run_id: parentTask, state: { type: "PENDING" } });
    await ok("POST", `/flow_runs/${child.id}/set_state`, token, { state: { type: "RUNNING" } });
    await ok("POST", "/logs", token, [{ flow_run_id: child.id, level: 20, message: "in the child", timestamp: now() }]);
    await ok("POST", `/flow_runs/${child.id}/set_state`, token, { state: { type: "COMPLETED" } });
  });

  it("reads only the secrets its deployment, its job variables and its pool's template reference", async () => {
    expect((await ok("GET", "/secrets/deploy-key/value", token)).value).toBe("dk-value-1234");
    expect((await ok("GET", "/secrets/db-pass/value", token)).value).toBe("db-value-5678");
    expect((await ok("GET", "/secrets/pool-secret/value", token)).value).toBe("pool-value-9");
    await refused("GET", "/secrets/other/value");
  });

  it("is refused (403) on anything outside its run", async () => {
    await refused("GET", `/flow_runs/${runB}`);
    await refused("GET", `/flow_runs/${runB}/states`);
    await refused("POST", `/flow_runs/${runB}/set_state`, { state: { type: "RUNNING" } });
    await refused("GET", `/logs?flow_run_id=${runB}`);
    // One line of another run in a batch refuses the whole batch, and nothing is written.
    await refused("POST", "/logs", [
      { flow_run_id: runA, level: 20, message: "mine", timestamp: now() },
      { flow_run_id: runB, level: 20, message: "not mine", timestamp: now() },
    ]);
    expect((await ok("GET", `/logs?flow_run_id=${runB}`, admin)).items).toEqual([]);
    await refused("POST", "/reports", { task_runs: [{ id: randomUUID(), flow_run_id: runB, task_key: "t", name: "t-0", dynamic_key: "0" }] });
    await refused("POST", "/task_runs", { id: randomUUID(), flow_run_id: runB, task_key: "t", name: "t-0", dynamic_key: "0" });
    // Another run's task run, named by ID.
    const theirs = randomUUID();
    await ok("POST", "/task_runs", admin, { id: theirs, flow_run_id: runB, task_key: "t", name: "t-0", dynamic_key: "0" });
    await refused("GET", `/task_runs/${theirs}`);
    await refused("POST", `/task_runs/${theirs}/set_state`, { state: { type: "RUNNING" } });
    await refused("POST", "/reports", { task_run_states: [{ task_run_id: theirs, state: { type: "RUNNING", timestamp: now() } }] });
    await refused("POST", "/logs", [{ flow_run_id: runA, task_run_id: theirs, level: 20, message: "x", timestamp: now() }]);
    // A subflow must hang under its own run.
    await refused("POST", "/flow_runs", { flow_name: "rogue" });
    await refused("POST", "/flow_runs", { flow_name: "rogue", parent_flow_run_id: runB, parent_task_run_id: theirs });
    await refused("POST", "/flow_runs", { id: runB, flow_name: "etl", parent_flow_run_id: runA, parent_task_run_id: theirs });
    await refused("GET", "/flow_runs");
    await refused("GET", "/task_runs");
    await refused("GET", "/deployments");
    await refused("POST", "/deployments", { flow_name: "etl", name: "evil", entrypoint: "x.ts:etl" });
    await refused("POST", `/deployments/${deploymentId}/runs`, {});
    await refused("POST", `/flow_runs/${runA}/cancel`);
    // Its own run's token it may renew (see "renews itself"); another run's, never.
    await refused("POST", `/flow_runs/${runB}/token`);
    await refused("PUT", "/variables/region", { value: "us" });
    await refused("GET", "/secrets");
    await refused("POST", "/work_pools/p/claim", { worker_name: "rogue" });
    await refused("GET", "/api_keys");
  });

  it("lets nobody else read a secret value, admins included", async () => {
    for (const key of [admin, workerKey]) {
      const answer = await call("GET", "/secrets/deploy-key/value", key);
      expect(answer.status).toBe(403);
      expect(answer.body.message).toContain("run token");
    }
  });

  it("is given only to a worker, for a run that exists and has not ended", async () => {
    const viewer = (await ok("POST", "/api_keys", admin, { name: "v", role: "viewer" })).key;
    expect((await call("POST", `/flow_runs/${runB}/token`, viewer)).status).toBe(403);
    expect((await call("POST", `/flow_runs/${randomUUID()}/token`, workerKey)).status).toBe(404);
    const ended = await runOf();
    await ok("POST", `/flow_runs/${ended}/set_state`, admin, { state: { type: "CANCELLED" }, force: true });
    const answer = await call("POST", `/flow_runs/${ended}/token`, workerKey);
    expect(answer.status).toBe(409);
    expect(answer.body.message).toContain("has not ended");
  });

  it("refuses a forged, tampered or expired token, and one signed with another server's key (401)", async () => {
    const tampered = token.slice(0, 10) + (token[10] === "A" ? "B" : "A") + token.slice(11);
    const expired = (await issueRunToken(app.db, runB, { now: new Date(Date.now() - 25 * 3600_000) })).token;
    const foreign = (await issueRunToken(app.db, runB, { secretKey: randomBytes(32) })).token;
    for (const bad of [tampered, expired, foreign, "batr_" + randomBytes(53).toString("base64url"), "batr_short"]) {
      const answer = await call("GET", `/flow_runs/${runB}`, bad);
      expect(answer.status, bad).toBe(401);
    }
    expect(await verifyRunToken(app.db, expired)).toBeUndefined();
  });

  it("lives runTokenTtlSeconds (a server option, 1 s to 24 h); a client reads its run and expiry from it", async () => {
    for (const bad of [0, 1.5, RUN_TOKEN_MAX_SECONDS + 1]) expect(() => checkRunTokenTtl(bad)).toThrow(/InvalidRunTokenTtl: runTokenTtlSeconds is/);
    registerRunTokenTtl(app.db, 60);
    try {
      const issued = await issueRunToken(app.db, runB, { now: new Date("2030-01-01T00:00:00Z") });
      expect(issued.expires).toBe("2030-01-01T00:01:00.000Z");
      expect(readRunTokenClaims(issued.token)).toEqual({ flowRunId: runB, expires: new Date(issued.expires) });
    } finally {
      registerRunTokenTtl(app.db, undefined);
    }
    expect(readRunTokenClaims(token.slice(0, -4))).toBeUndefined();
    expect(readRunTokenClaims(workerKey)).toBeUndefined();
  });

  it("renews itself, for its own run only", async () => {
    const mine = await ok("POST", `/flow_runs/${runB}/token`, workerKey);
    const renewed = await ok("POST", `/flow_runs/${runB}/token`, mine.token);
    expect(renewed.flow_run_id).toBe(runB);
    expect((await call("POST", `/flow_runs/${runA}/token`, mine.token)).status).toBe(403);
  });

  it("stops working when its run ends: only its last lines for a minute, then nothing", async () => {
    const issued = await ok("POST", `/flow_runs/${runB}/token`, workerKey);
    const other = issued.token as string;
    await ok("POST", `/flow_runs/${runB}/set_state`, other, { state: { type: "RUNNING" } });
    await ok("POST", `/flow_runs/${runB}/set_state`, other, { state: { type: "COMPLETED" } });
    forgetRunFacts(app.db);
    // The engine flushes its last lines after the final state.
    await ok("POST", "/logs", other, [{ flow_run_id: runB, level: 20, message: "Finished in state Completed()", timestamp: now() }]);
    const read = await call("GET", `/flow_runs/${runB}`, other);
    expect(read.status).toBe(403);
    expect(read.body.message).toContain("has ended");
    await app.db.db.updateTable("flow_runs").set({ end_time: new Date(Date.now() - 120_000).toISOString() }).where("id", "=", runB).execute();
    forgetRunFacts(app.db);
    const late = await call("POST", "/logs", other, [{ flow_run_id: runB, level: 20, message: "too late", timestamp: now() }]);
    expect(late.status).toBe(401);
    expect(late.body.message).toContain("run has ended");
  });
});
