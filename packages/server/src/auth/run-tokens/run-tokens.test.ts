import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openAuthTestApp, type AuthTestApp } from "../../../test/harness.js";
import { bearer } from "../test-keys.js";
import { readRunTokenClaims } from "@baton/core";
import { RUN_TOKEN_MAX_SECONDS, checkRunTokenTtl, forgetRunFacts, issueRunToken, registerRunTokenTtl, verifyRunToken } from "./index.js";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
const now = () => new Date().toISOString();

describe.each(DATABASE_KINDS)("run tokens on %s", (kind) => {
  let app: AuthTestApp;
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
  /** A new run of the deployment, claimed (Pending) by the worker key: the only way to its token. */
  const claimedRun = async (key = workerKey) => {
    const id = await runOf();
    const claimed = await ok("POST", "/work_pools/p/claim", key, { worker_name: "w", limit: 100 });
    expect(claimed.flow_runs.map((r: { flow_run: { id: string } }) => r.flow_run.id)).toContain(id);
    return id;
  };

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "baton-run-token-home-"));
    app = await openAuthTestApp(kind, { batonHome: home });
    admin = app.adminKey;
    workerKey = (await ok("POST", "/api_keys", admin, { name: "w", role: "worker" })).key;
    // Scoped to the pool (pool-secret needs none: the pool's own template names it); "other" to another pool.
    for (const [name, value] of [["deploy-key", "dk-value-1234"], ["db-pass", "db-value-5678"], ["pool-secret", "pool-value-9"], ["other", "other-value-0000"]]) {
      await ok("PUT", `/secrets/${name}`, admin, { value, ...(name === "pool-secret" ? {} : { work_pools: [name === "other" ? "elsewhere" : "p"] }) });
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
    runA = await claimedRun();
    runB = await claimedRun();
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

    // Artifacts of its run, of a task run not reported yet, and of its subflow; progress it updates.
    await ok("POST", "/artifacts", token, { type: "markdown", key: "run-report", data: "# ok", flow_run_id: runA, task_run_id: randomUUID() });
    await ok("POST", "/artifacts", token, { type: "markdown", data: "child", flow_run_id: child.id });
    const progress = await ok("POST", "/artifacts", token, { type: "progress", data: 0, flow_run_id: runA, task_run_id: taskRun });
    expect((await ok("PATCH", `/artifacts/${progress.id}`, token, { data: 50 })).data).toBe(50);
    // Result storage on the server: its own run's and its subflows' results, and the shared cache.
    for (const owner of [runA, child.id, "cache"]) {
      await ok("PUT", `/results/${owner}/t-0-abc`, token, { content_base64: Buffer.from("42").toString("base64") });
      expect((await ok("GET", `/results/${owner}/t-0-abc`, token)).content_base64).toBe(Buffer.from("42").toString("base64"));
    }
  });

  it("reads the secrets in its scope or its pool's template, not one scoped to another pool", async () => {
    expect((await ok("GET", "/secrets/deploy-key/value", token)).value).toBe("dk-value-1234");
    expect((await ok("GET", "/secrets/db-pass/value", token)).value).toBe("db-value-5678");
    expect((await ok("GET", "/secrets/pool-secret/value", token)).value).toBe("pool-value-9");
    // Out of scope: its own 403 naming the scope and the fix (getSecret in flow code shows it).
    const other = await call("GET", "/secrets/other/value", token);
    expect(other.status).toBe(403);
    expect(other.body.message).toContain('SecretOutOfScope: secret "other" may be used by work pools [elsewhere]');
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
    // Artifacts only for its own run (and a task run of it, when that exists), never another's.
    await refused("POST", "/artifacts", { type: "markdown", data: "x", flow_run_id: runB });
    await refused("POST", "/artifacts", { type: "markdown", data: "x", flow_run_id: runA, task_run_id: theirs });
    const othersArtifact = await ok("POST", "/artifacts", admin, { type: "progress", data: 1, flow_run_id: runB });
    await refused("PATCH", `/artifacts/${othersArtifact.id}`, { data: 99 });
    await refused("GET", "/artifacts");
    await refused("DELETE", `/artifacts/${othersArtifact.id}`);
    // Another run's persisted results, neither read nor written.
    await ok("PUT", `/results/${runB}/t-0-abc`, admin, { content_base64: Buffer.from("theirs").toString("base64") });
    await refused("GET", `/results/${runB}/t-0-abc`);
    await refused("PUT", `/results/${runB}/t-0-abc`, { content_base64: Buffer.from("mine").toString("base64") });
  });

  it("starts a child run of a deployment its claiming key may act on (runDeployment in flow code), never an orphan or one outside the key's limits", async () => {
    const limitedKey = (await ok("POST", "/api_keys", admin, { name: "w-pool-p", role: "worker", work_pools: ["p"] })).key;
    const own = await claimedRun(limitedKey);
    const ownToken = (await ok("POST", `/flow_runs/${own}/token`, limitedKey)).token as string;
    await ok("POST", "/work_pools", admin, { name: "q", type: "process" });
    const elsewhere = (await ok("POST", "/deployments", admin, { flow_name: "etl", name: "other-pool", entrypoint: "flows/etl.ts:etl", work_pool_name: "q" })).deployment.id as string;
    expect((await ok("GET", "/deployments/name/etl/prod", ownToken)).id).toBe(deploymentId);
    const parentTask = randomUUID();
    await ok("POST", "/task_runs", ownToken, { id: parentTask, flow_run_id: own, task_key: "etl/prod", name: "etl/prod-0", dynamic_key: "0" });
    const childId = randomUUID();
    const child = await ok("POST", `/deployments/${deploymentId}/runs`, ownToken, { id: childId, parent_flow_run_id: own, parent_task_run_id: parentTask, parameters: { n: 1 } });
    expect(child).toMatchObject({ id: childId, parent_flow_run_id: own, parent_task_run_id: parentTask, state_type: "SCHEDULED", work_pool_name: "p" });
    // The same request again (a retried POST) answers with the same run; the child is in the token's scope.
    expect((await ok("POST", `/deployments/${deploymentId}/runs`, ownToken, { id: childId, parent_flow_run_id: own, parent_task_run_id: parentTask })).id).toBe(childId);
    expect((await ok("GET", `/flow_runs/${childId}`, ownToken)).state_type).toBe("SCHEDULED");
    const expectForbidden = async (url: string, payload: unknown, text: string) => {
      const answer = await call(payload === undefined ? "GET" : "POST", url, ownToken, payload);
      expect(answer.status, JSON.stringify(answer.body)).toBe(403);
      expect(answer.body.message).toContain(text);
    };
    // Outside the claiming key's limits (another pool): refused with the limit and the fix.
    const limit = 'the API key "w-pool-p" that claimed flow run';
    await expectForbidden("/deployments/name/etl/other-pool", undefined, limit);
    await expectForbidden(`/deployments/${elsewhere}/runs`, { parent_flow_run_id: own }, `may not start deployment etl/other-pool in work pool q`);
    // Not a child of its own run: no parent, another run as parent, an id taken by another run.
    await expectForbidden(`/deployments/${deploymentId}/runs`, {}, `can act only on flow run ${own}`);
    await expectForbidden(`/deployments/${deploymentId}/runs`, { parent_flow_run_id: runB }, `can act only on flow run ${own}`);
    await expectForbidden(`/deployments/${deploymentId}/runs`, { id: runB, parent_flow_run_id: own }, `can act only on flow run ${own}`);
    // An admin may hang a run under any run, but the parent task run must be of the parent run.
    const mismatch = await call("POST", `/deployments/${deploymentId}/runs`, admin, { parent_flow_run_id: runB, parent_task_run_id: parentTask });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.message).toContain(`body.parent_task_run_id: task run ${parentTask} belongs to flow run ${own}`);
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
    const ended = await claimedRun();
    await ok("POST", `/flow_runs/${ended}/set_state`, admin, { state: { type: "CANCELLED" }, force: true });
    const answer = await call("POST", `/flow_runs/${ended}/token`, workerKey);
    expect(answer.status).toBe(409);
    expect(answer.body.message).toContain("has not ended");
  });

  it("comes with the claim when the worker asks for it (run_tokens): one per run, good for that run only; a claim that does not ask carries none", async () => {
    const [c1, c2] = [await runOf(), await runOf()];
    const claimed = await ok("POST", "/work_pools/p/claim", workerKey, { worker_name: "w", limit: 100, run_tokens: true });
    const byRun = new Map<string, { token: string; flow_run_id: string; expires: string }>(claimed.flow_runs.map((r: { flow_run: { id: string }; run_token: { token: string; flow_run_id: string; expires: string } }) => [r.flow_run.id, r.run_token]));
    expect([...byRun.keys()].sort()).toEqual([c1, c2].sort());
    for (const [id, given] of byRun) {
      expect(given.flow_run_id).toBe(id);
      expect(Date.parse(given.expires) - Date.now()).toBeGreaterThan(23 * 3600_000);
      expect((await ok("GET", "/auth/whoami", given.token)).flow_run_id).toBe(id);
      expect((await ok("POST", `/flow_runs/${id}/set_state`, given.token, { state: { type: "RUNNING" } })).status).toBe("ACCEPT");
    }
    const other = await call("POST", `/flow_runs/${c2}/set_state`, byRun.get(c1)!.token, { state: { type: "COMPLETED" } });
    expect(other.status).toBe(403);
    const plain = await runOf();
    const without = await ok("POST", "/work_pools/p/claim", workerKey, { worker_name: "w", limit: 100 });
    expect(without.flow_runs.map((r: { flow_run: { id: string } }) => r.flow_run.id)).toEqual([plain]);
    expect(without.flow_runs[0].run_token).toBeUndefined();
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
