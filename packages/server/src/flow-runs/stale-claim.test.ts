import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openAuthTestApp, type AuthTestApp } from "../../test/harness.js";
import { forgetRunFacts } from "../auth/run-tokens/index.js";
import { bearer } from "../auth/test-keys.js";

type Method = "GET" | "POST";

/**
 * The supervisor of an earlier claim must not end a later attempt (issue 11 D): two workers share
 * one worker key (the seed's one key per pool), so the key alone cannot tell them apart; the
 * claim id sent with the state can.
 */
describe.each(DATABASE_KINDS)("a state sent under a stale claim on %s", (kind) => {
  let app: AuthTestApp;
  let home: string;
  let admin: string;
  let workerKey: string;
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
  const claim = async (worker: string) => {
    const answer = await ok("POST", "/work_pools/p/claim", workerKey, { worker_name: worker });
    expect(answer.flow_runs).toHaveLength(1);
    expect(answer.flow_runs[0].claim_id).toEqual(expect.any(String));
    return answer.flow_runs[0] as { flow_run: { id: string }; claim_id: string };
  };
  const setState = (id: string, state: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    call("POST", `/flow_runs/${id}/set_state`, workerKey, { state, force: true, ...extra });

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "baton-stale-claim-"));
    app = await openAuthTestApp(kind, { batonHome: home });
    admin = app.adminKey;
    workerKey = (await ok("POST", "/api_keys", admin, { name: "pool-worker", role: "worker" })).key;
    await ok("POST", "/work_pools", admin, { name: "p", type: "process" });
    deploymentId = (await ok("POST", "/deployments", admin, { flow_name: "etl", name: "prod", entrypoint: "flows/etl.ts:etl", work_pool_name: "p" })).deployment.id;
  }, 120_000);
  afterAll(async () => {
    await app?.cleanup();
    rmSync(home, { recursive: true, force: true });
  });

  it("cannot force Cancelled or Crashed onto the attempt another worker claimed since: 409 StaleClaim, the run keeps running", async () => {
    const id = (await ok("POST", `/deployments/${deploymentId}/runs`, admin, {})).id as string;
    const first = await claim("worker-1");
    await ok("POST", `/flow_runs/${id}/set_state`, workerKey, { state: { type: "RUNNING" }, claim_id: first.claim_id });
    // Cancelled, ended, retried by an operator, and claimed by another worker of the same key.
    await ok("POST", `/flow_runs/${id}/cancel`, admin);
    await ok("POST", `/flow_runs/${id}/set_state`, workerKey, { state: { type: "CANCELLED" }, claim_id: first.claim_id });
    await ok("POST", `/flow_runs/${id}/retry`, admin);
    const second = await claim("worker-2");
    expect(second.flow_run.id).toBe(id);
    expect(second.claim_id).not.toBe(first.claim_id);
    await ok("POST", `/flow_runs/${id}/set_state`, workerKey, { state: { type: "RUNNING" }, claim_id: second.claim_id });

    // worker-1's supervisor, late, records the end of what it believes is its run.
    forgetRunFacts(app.db);
    for (const type of ["CANCELLED", "CRASHED"]) {
      const stale = await setState(id, { type, message: "the worker ended its process" }, { claim_id: first.claim_id });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe("StaleClaim");
      expect(stale.body.message).toContain(`under claim ${first.claim_id}`);
      expect(stale.body.message).toContain(`now under claim ${second.claim_id}`);
    }
    expect((await ok("GET", `/flow_runs/${id}`, admin)).state_type).toBe("RUNNING");
    // The worker that holds the claim now ends it as before.
    const current = await setState(id, { type: "CRASHED", message: "its pod was lost" }, { claim_id: second.claim_id });
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ status: "ACCEPT", state: { type: "CRASHED" } });
  });

  it("refuses a start sent under a claim that ended when the run went back to the queue", async () => {
    const id = (await ok("POST", `/deployments/${deploymentId}/runs`, admin, {})).id as string;
    const claimed = await claim("worker-3");
    // Sent back to the queue (crash_retries): the claim is over, and nobody holds one now.
    await ok("POST", `/flow_runs/${id}/set_state`, workerKey, { state: { type: "SCHEDULED", name: "Rescheduled" }, force: true, claim_id: claimed.claim_id });
    const late = await call("POST", `/flow_runs/${id}/set_state`, workerKey, { state: { type: "RUNNING" }, claim_id: claimed.claim_id });
    expect(late.status).toBe(409);
    expect(late.body.message).toContain("under no claim");
    expect((await ok("GET", `/flow_runs/${id}`, admin)).state_type).toBe("SCHEDULED");
  });
});
