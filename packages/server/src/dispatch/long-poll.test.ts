import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/helpers/databases.js";
import { createApp, type BatonApp } from "../index.js";
import { DATABASE_KINDS, openTestApp, secondsFromNow, type TestApp } from "../../test/harness.js";
import { claim, deploy, dispatchListeners, newPool, runOf } from "../../test/dispatch-helpers.js";

describe.each(DATABASE_KINDS)("long-polling claims on %s", (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const open = async () => {
    const app = await openTestApp(kind);
    cleanups.push(() => app.cleanup());
    return app;
  };

  it("is woken by a run created for the pool while it waits", async () => {
    const app = await open();
    await newPool(app, "wake");
    const deployment = await deploy(app, { name: "wake", work_pool_name: "wake" });
    let answered = false;
    const waiting = claim(app, "wake", { wait_seconds: 30 }).finally(() => (answered = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(answered).toBe(false);
    const run = await runOf(app, deployment.id);
    const claimed = await waiting;
    expect(claimed.map((c) => c.flow_run.id)).toEqual([run.id]);
  });

  it("is woken when a run scheduled within the wait becomes due", async () => {
    const app = await open();
    await newPool(app, "due");
    const deployment = await deploy(app, { name: "due", work_pool_name: "due" });
    const run = await runOf(app, deployment.id, { scheduled_time: secondsFromNow(1) });
    const claimed = await claim(app, "due", { wait_seconds: 30 });
    expect(claimed.map((c) => c.flow_run.id)).toEqual([run.id]);
    expect(Date.parse(claimed[0].flow_run.state.timestamp)).toBeGreaterThanOrEqual(Date.parse(run.state.state_details.scheduled_time));
  });

  it("is woken when a claimed run is sent back to Scheduled (a worker's crash_retries)", async () => {
    const app = await open();
    await newPool(app, "again");
    const deployment = await deploy(app, { name: "again", work_pool_name: "again" });
    const run = await runOf(app, deployment.id);
    expect((await claim(app, "again", { worker_name: "lost-pod" })).map((c) => c.flow_run.id)).toEqual([run.id]);
    const started = Date.now();
    const waiting = claim(app, "again", { worker_name: "other", wait_seconds: 30 });
    await new Promise((r) => setTimeout(r, 200));
    const back = { type: "SCHEDULED", name: "Rescheduled", message: "the pod was evicted", state_details: { scheduled_time: new Date().toISOString() } };
    expect((await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: back, force: true })).body.status).toBe("ACCEPT");
    const claimed = await waiting;
    expect(claimed.map((c) => c.flow_run.id)).toEqual([run.id]);
    // Woken by the reschedule, not answered at the end of its 30 s wait.
    expect(Date.parse(claimed[0]!.flow_run.state.timestamp)).toBeLessThan(started + 30_000);
  });

  it("answers with nothing when the wait ends, and at once when the server closes", async () => {
    const app = await open();
    await newPool(app, "idle");
    expect(await claim(app, "idle", { wait_seconds: 0.3 })).toEqual([]);
    const waiting = claim(app, "idle", { wait_seconds: 60 });
    await new Promise((r) => setTimeout(r, 100));
    const closing = app.close();
    expect(await waiting).toEqual([]);
    await closing;
  });
});

describe("long-polling claims across replicas on postgresql", () => {
  let database: TestDatabase | undefined;
  const apps: BatonApp[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await database?.drop();
  });

  it("wakes a claim waiting on one replica when another replica creates a run (LISTEN/NOTIFY)", async () => {
    database = await createTestDatabase("postgresql");
    for (let i = 0; i < 2; i++) apps.push(await createApp({ databaseUrl: database.url, logLevel: "silent", services: false, auth: { enabled: false } }));
    const [a, b] = apps as [BatonApp, BatonApp];
    const call = async (app: BatonApp, method: "POST", url: string, payload: object) => (await app.app.inject({ method, url: `/api${url}`, payload })).json();
    await call(a, "POST", "/work_pools", { name: "shared", type: "process" });
    const { deployment } = await call(a, "POST", "/deployments", { flow_name: "etl", name: "shared", entrypoint: "flows/etl.ts:etl", work_pool_name: "shared" });
    // Replica a's LISTEN connection is up before it waits (a NOTIFY before it would be missed).
    await dispatchListeners(database.url, 2);
    const waiting = call(a, "POST", "/work_pools/shared/claim", { worker_name: "w", wait_seconds: 30 });
    await new Promise((r) => setTimeout(r, 200));
    const run = await call(b, "POST", `/deployments/${deployment.id}/runs`, {});
    const answer = await waiting;
    expect(answer.flow_runs.map((c: { flow_run: { id: string } }) => c.flow_run.id)).toEqual([run.id]);
  });

  it("wakes waiting claims once a lost LISTEN connection is back: a NOTIFY sent while it was down is not waited out", async () => {
    database = await createTestDatabase("postgresql");
    for (let i = 0; i < 2; i++) apps.push(await createApp({ databaseUrl: database.url, logLevel: "silent", services: false, auth: { enabled: false } }));
    const [a, b] = apps as [BatonApp, BatonApp];
    const call = async (app: BatonApp, method: "POST", url: string, payload: object) => (await app.app.inject({ method, url: `/api${url}`, payload })).json();
    await call(a, "POST", "/work_pools", { name: "shared", type: "process" });
    const { deployment } = await call(a, "POST", "/deployments", { flow_name: "etl", name: "shared", entrypoint: "flows/etl.ts:etl", work_pool_name: "shared" });
    await dispatchListeners(database.url, 2);
    const waiting = call(a, "POST", "/work_pools/shared/claim", { worker_name: "w", wait_seconds: 60 });
    await new Promise((r) => setTimeout(r, 200));
    // Cut the dispatch LISTEN connections (as a database restart would), then make a run at once:
    // its NOTIFY finds nobody listening.
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const cut = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN baton_dispatch'");
      expect(cut.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    const run = await call(b, "POST", `/deployments/${deployment.id}/runs`, {});
    // Answered well before its 60 s wait ends: the reconnection woke it.
    const answer = await Promise.race([waiting, new Promise((r) => setTimeout(() => r("still waiting"), 20_000))]);
    expect((answer as { flow_runs: Array<{ flow_run: { id: string } }> }).flow_runs?.map((c) => c.flow_run.id)).toEqual([run.id]);
  }, 60_000);
});
