import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/helpers/databases.js";
import { createApp, type BatonApp } from "../index.js";
import { dispatchListeners } from "../../test/dispatch-helpers.js";

type Answer = { flow_runs?: { flow_run: { id: string } }[] };

/**
 * State changes made through one replica wake the claims waiting on another (issue 11 D): every
 * change takes the road, which announces its pool to every replica. Before it, a cancel woke only
 * the process that served it, so a worker long-polling another replica of a full pool waited out
 * its whole wait.
 */
describe("a state change on one replica wakes claims waiting on another (PostgreSQL)", () => {
  let database: TestDatabase | undefined;
  const apps: BatonApp[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await database?.drop();
    database = undefined;
  });
  const twoReplicas = async () => {
    database = await createTestDatabase("postgresql");
    for (let i = 0; i < 2; i++) apps.push(await createApp({ databaseUrl: database.url, logLevel: "silent", services: false, auth: { enabled: false } }));
    const [a, b] = apps as [BatonApp, BatonApp];
    const call = async (app: BatonApp, url: string, payload: object = {}) => (await app.app.inject({ method: "POST", url: `/api${url}`, payload })).json();
    // A pool with room for one run at a time, its one slot taken by a claimed run.
    await call(a, "/work_pools", { name: "one-slot", type: "process", concurrency_limit: 1 });
    const { deployment } = await call(a, "/deployments", { flow_name: "etl", name: "one-slot", entrypoint: "flows/etl.ts:etl", work_pool_name: "one-slot" });
    const first = await call(a, `/deployments/${deployment.id}/runs`);
    const claimed = (await call(a, "/work_pools/one-slot/claim", { worker_name: "w1" })) as Answer;
    expect(claimed.flow_runs?.map((c) => c.flow_run.id)).toEqual([first.id]);
    const second = await call(a, `/deployments/${deployment.id}/runs`);
    await dispatchListeners(database.url, 2);
    return { a, b, call, first, second };
  };
  /** A claim on `b` that waits up to 30 s; resolves with what it got and how long it took. */
  const waitOn = (b: BatonApp, call: (app: BatonApp, url: string, payload?: object) => Promise<Answer>) => {
    const started = Date.now();
    return call(b, "/work_pools/one-slot/claim", { worker_name: "w2", wait_seconds: 30 }).then((answer) => ({ answer, seconds: (Date.now() - started) / 1000 }));
  };

  it("a cancel on replica A frees the slot, and the worker waiting on replica B gets the next run at once", async () => {
    const { a, b, call, first, second } = await twoReplicas();
    const waiting = waitOn(b, call);
    await new Promise((r) => setTimeout(r, 300)); // B has looked, found the pool full, and waits
    const cancelledAt = Date.now();
    await call(a, `/flow_runs/${first.id}/cancel`);
    const { answer, seconds } = await waiting;
    process.stdout.write(`[replica-wake] claim on B answered ${Date.now() - cancelledAt} ms after the cancel on A (its wait: 30 s)\n`);
    expect(answer.flow_runs?.map((c) => c.flow_run.id)).toEqual([second.id]);
    expect(seconds).toBeLessThan(10);
  }, 60_000);

  it("a run ending on replica A (its worker reports Completed) wakes the worker waiting on replica B", async () => {
    const { a, b, call, first, second } = await twoReplicas();
    await call(a, `/flow_runs/${first.id}/set_state`, { state: { type: "RUNNING" } });
    const waiting = waitOn(b, call);
    await new Promise((r) => setTimeout(r, 300));
    await call(a, `/flow_runs/${first.id}/set_state`, { state: { type: "COMPLETED" } });
    const { answer, seconds } = await waiting;
    expect(answer.flow_runs?.map((c) => c.flow_run.id)).toEqual([second.id]);
    expect(seconds).toBeLessThan(10);
  }, 60_000);
});
