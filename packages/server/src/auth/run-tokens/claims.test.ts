import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openAuthTestApp, type AuthTestApp } from "../../../test/harness.js";
import { expireLeases } from "../../dispatch/leases.js";
import { secretKeyProvider } from "../../secrets/key.js";
import { bearer } from "../test-keys.js";
import { forgetRunFacts } from "./index.js";
import { encodeLegacyRunToken, runTokenSigningKey } from "./token.js";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Run tokens tied to the claim that made them (issue 20 item 6, issue 11 item 6), through the API
 * with real keys: only the claim's key gets a token; re-queueing, retrying, claiming again or
 * revoking the key ends it; forcing a state is for admins and the claim's key.
 */
describe.each(DATABASE_KINDS)("run tokens and claims on %s", (kind) => {
  let app: AuthTestApp;
  let home: string;
  let admin: string;
  let workerKey: string;
  let otherWorker: string;
  let deploymentId: string;
  const call = async (method: Method, url: string, key: string, payload?: unknown) => {
    const answer = await app.app.inject({ method, url: `/api${url}`, headers: bearer(key), ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: answer.statusCode, body: answer.body.length > 0 ? answer.json() : null };
  };
  const ok = async (method: Method, url: string, key: string, payload?: unknown) => {
    const answer = await call(method, url, key, payload);
    expect(answer.status, `${method} ${url}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
    return answer.body;
  };
  const newKey = async (name: string, role = "worker") => (await ok("POST", "/api_keys", admin, { name, role })).key as string;
  const claimedRun = async (key = workerKey, lease_seconds = 60) => {
    const id = (await ok("POST", `/deployments/${deploymentId}/runs`, admin, {})).id as string;
    const claimed = await ok("POST", "/work_pools/p/claim", key, { worker_name: "w", limit: 100, lease_seconds });
    expect(claimed.flow_runs.map((r: { flow_run: { id: string } }) => r.flow_run.id)).toContain(id);
    return id;
  };
  const tokenOf = async (id: string, key = workerKey) => (await ok("POST", `/flow_runs/${id}/token`, key)).token as string;
  const readsOwnRun = async (token: string, id: string) => {
    forgetRunFacts(app.db);
    return (await call("GET", `/flow_runs/${id}`, token)).status;
  };

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "baton-claims-home-"));
    app = await openAuthTestApp(kind, { batonHome: home });
    admin = app.adminKey;
    workerKey = await newKey("worker-a");
    otherWorker = await newKey("worker-b");
    await ok("POST", "/work_pools", admin, { name: "p", type: "process" });
    deploymentId = (await ok("POST", "/deployments", admin, { flow_name: "etl", name: "prod", entrypoint: "flows/etl.ts:etl", work_pool_name: "p" })).deployment.id;
  }, 120_000);
  afterAll(async () => {
    await app?.cleanup();
    rmSync(home, { recursive: true, force: true });
  });

  it("gives a run's token only to the key that holds its claim: another worker key, an admin key, an unclaimed run get 403", async () => {
    const unclaimed = (await ok("POST", `/deployments/${deploymentId}/runs`, admin, { scheduled_time: new Date(Date.now() + 3600_000).toISOString() })).id;
    const refusedUnclaimed = await call("POST", `/flow_runs/${unclaimed}/token`, workerKey);
    expect(refusedUnclaimed.status).toBe(403);
    expect(refusedUnclaimed.body.message).toContain("nobody holds a claim");
    const run = await claimedRun();
    for (const key of [otherWorker, admin]) {
      const answer = await call("POST", `/flow_runs/${run}/token`, key);
      expect(answer.status, JSON.stringify(answer.body)).toBe(403);
      expect(answer.body.message).toContain("another worker's key claimed it");
    }
    expect(await readsOwnRun(await tokenOf(run), run)).toBe(200);
    // Running under the claim: still its worker's; Cancelling is not Pending or Running.
    await ok("POST", `/flow_runs/${run}/set_state`, workerKey, { state: { type: "RUNNING" } });
    await tokenOf(run);
    await ok("POST", `/flow_runs/${run}/cancel`, admin);
    expect((await call("POST", `/flow_runs/${run}/token`, workerKey)).status).toBe(403);
  });

  it("lets only admins and the claim's key force a state: a second worker key cannot move a Cancelled run back", async () => {
    const run = await claimedRun();
    await ok("POST", `/flow_runs/${run}/set_state`, admin, { state: { type: "CANCELLED" }, force: true });
    const forced = await call("POST", `/flow_runs/${run}/set_state`, otherWorker, { state: { type: "PENDING" }, force: true });
    expect(forced.status).toBe(403);
    expect(forced.body.message).toContain("worker that holds the run's claim");
    expect((await ok("GET", `/flow_runs/${run}`, admin)).state_type).toBe("CANCELLED");
    const mine = await claimedRun();
    await ok("POST", `/flow_runs/${mine}/set_state`, workerKey, { state: { type: "CRASHED", message: "its process died" }, force: true });
    expect((await call("POST", `/flow_runs/${mine}/set_state`, otherWorker, { state: { type: "PENDING" }, force: true })).status).toBe(403);
  });

  it("ends a token when the run's key is revoked: it neither reads nor renews", async () => {
    const revocable = await newKey("worker-revoked");
    const run = await claimedRun(revocable);
    const token = await tokenOf(run, revocable);
    expect(await readsOwnRun(token, run)).toBe(200);
    await ok("DELETE", "/api_keys/worker-revoked", admin);
    expect(await readsOwnRun(token, run)).toBe(401);
    const renewal = await call("POST", `/flow_runs/${run}/token`, token);
    expect(renewal.status).toBe(401);
    expect(renewal.body.message).toContain("claim it was made under is over");
  });

  it("ends a token when its run is cancelled and retried: the retry is a new attempt, the old token stays dead", async () => {
    const run = await claimedRun();
    const token = await tokenOf(run);
    await ok("POST", `/flow_runs/${run}/cancel`, admin);
    await ok("POST", `/flow_runs/${run}/retry`, admin);
    expect(await readsOwnRun(token, run)).toBe(401);
    expect((await call("POST", `/flow_runs/${run}/token`, token)).status).toBe(401);
    // Claimed again (by the same worker): a new claim, a new token; the old one still refused.
    await ok("POST", "/work_pools/p/claim", workerKey, { worker_name: "w", limit: 100 });
    const next = await tokenOf(run);
    expect(await readsOwnRun(next, run)).toBe(200);
    expect(await readsOwnRun(token, run)).toBe(401);
  });

  it("ends a token when its claim's lease ends or a worker sends the run back to the queue", async () => {
    const leased = await claimedRun(workerKey, 5);
    const leasedToken = await tokenOf(leased);
    await expireLeases(app.db, new Date(Date.now() + 10_000));
    expect((await ok("GET", `/flow_runs/${leased}`, admin)).state_type).toBe("SCHEDULED");
    expect(await readsOwnRun(leasedToken, leased)).toBe(401);

    const crashed = await claimedRun();
    const crashedToken = await tokenOf(crashed);
    await ok("POST", `/flow_runs/${crashed}/set_state`, workerKey, { state: { type: "RUNNING" } });
    await ok("POST", `/flow_runs/${crashed}/set_state`, workerKey, { state: { type: "SCHEDULED", name: "Rescheduled", state_details: { scheduled_time: new Date().toISOString() } }, force: true });
    expect(await readsOwnRun(crashedToken, crashed)).toBe(401);
  });

  it("renews only while the claim holds, and keeps the claim in the renewed token", async () => {
    const run = await claimedRun();
    const token = await tokenOf(run);
    const renewed = (await ok("POST", `/flow_runs/${run}/token`, token)).token as string;
    expect(await readsOwnRun(renewed, run)).toBe(200);
    await ok("POST", `/flow_runs/${run}/set_state`, workerKey, { state: { type: "SCHEDULED", state_details: { scheduled_time: new Date().toISOString() } }, force: true });
    expect(await readsOwnRun(renewed, run)).toBe(401);
  });

  it("a token of the previous format works for a run claimed before the upgrade, until the run is claimed again", async () => {
    const run = await claimedRun();
    await app.db.db.updateTable("flow_runs").set({ claim_id: "legacy", claim_key_id: null }).where("id", "=", run).execute();
    const key = runTokenSigningKey(secretKeyProvider({ batonHome: home })());
    const legacy = encodeLegacyRunToken(key, run, new Date(Date.now() + 3600_000));
    expect(await readsOwnRun(legacy, run)).toBe(200);
    await ok("POST", `/flow_runs/${run}/set_state`, admin, { state: { type: "SCHEDULED", state_details: { scheduled_time: new Date().toISOString() } }, force: true });
    await ok("POST", "/work_pools/p/claim", workerKey, { worker_name: "w", limit: 100 });
    expect(await readsOwnRun(legacy, run)).toBe(401);
  });
});
