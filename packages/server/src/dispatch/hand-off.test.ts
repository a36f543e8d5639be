import { afterEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, secondsFromNow, type TestApp } from "../../test/harness.js";
import { claim, deploy, newPool, runOf } from "../../test/dispatch-helpers.js";
import { readDeploymentRow } from "../deployments/read.js";
import { insertDeploymentRun } from "../deployments/insert-run.js";
import { handToWaitingClaim } from "../orchestration/claim-desk.js";
import { travel } from "../orchestration/road.js";

const settle = () => new Promise((r) => setTimeout(r, 150));

// A run made while a claim waits in the same process goes to that claim in the making
// transaction: the creation's answer is the run already PENDING under the claim, which only the
// hand-over can do (an ordinary claim runs after the creation has answered).
describe.each(DATABASE_KINDS)("a run handed to a waiting claim on %s", (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const open = async (): Promise<TestApp> => {
    const app = await openTestApp(kind);
    cleanups.push(() => app.cleanup());
    return app;
  };

  it("is claimed in the transaction that makes it: Scheduled then Pending, under the waiting claim's lease", async () => {
    const app = await open();
    await newPool(app, "hand");
    const deployment = await deploy(app, { name: "hand", work_pool_name: "hand", schedules: [{ cron: "0 0 1 1 *" }] });
    const waiting = claim(app, "hand", { worker_name: "w-hand", wait_seconds: 30, lease_seconds: 120 });
    await settle();
    const made = await runOf(app, deployment.id);
    expect(made.state.type).toBe("PENDING");
    expect(made.worker_name).toBe("w-hand");
    const [claimed, ...more] = await waiting;
    expect(more).toEqual([]);
    expect(claimed.flow_run.id).toBe(made.id);
    expect(claimed.claim_id).toEqual(expect.any(String));
    // The deployment as the maker read it, schedules included: what any claim answers with.
    expect(claimed.deployment).toEqual((await app.api("GET", `/deployments/${deployment.id}`)).body);
    expect(claimed.job_configuration).toMatchObject({ command: expect.anything() });
    const row = await app.db.db.selectFrom("flow_runs").select("lease_expiration").where("id", "=", made.id).executeTakeFirstOrThrow();
    const lease = Date.parse(row.lease_expiration!) - Date.now();
    expect(lease).toBeGreaterThan(100_000);
    const history = (await app.api("GET", `/flow_runs/${made.id}/states`)).body.items.map((s: { type: string }) => s.type);
    expect(history).toEqual(["SCHEDULED", "PENDING"]);
    // The worker holds the claim as any claim's holder: it can take the run on to Running.
    const running = await app.api("POST", `/flow_runs/${made.id}/set_state`, { state: { type: "RUNNING" }, claim_id: claimed.claim_id });
    expect(running.body.status).toBe("ACCEPT");
  });

  it("goes to the claim that has waited longest; the other waits on for the next run", async () => {
    const app = await open();
    await newPool(app, "two");
    const deployment = await deploy(app, { name: "two", work_pool_name: "two" });
    const first = claim(app, "two", { worker_name: "first", wait_seconds: 30 });
    await settle();
    const second = claim(app, "two", { worker_name: "second", wait_seconds: 30 });
    await settle();
    const a = await runOf(app, deployment.id);
    expect(a.worker_name).toBe("first");
    expect((await first).map((c) => c.flow_run.id)).toEqual([a.id]);
    const b = await runOf(app, deployment.id);
    expect(b.worker_name).toBe("second");
    expect((await second).map((c) => c.flow_run.id)).toEqual([b.id]);
  });

  it("is not handed over where a limit must be counted, a queue or deployment is paused, the claim wants other queues, or the run is not due: an ordinary claim decides", async () => {
    const app = await open();
    await newPool(app, "limited", { concurrency_limit: 5 });
    await newPool(app, "open");
    expect((await app.api("POST", "/work_pools/open/queues", { name: "slow", concurrency_limit: 1 })).status).toBe(201);
    expect((await app.api("POST", "/work_pools/open/queues", { name: "held" })).status).toBe(201);
    expect((await app.api("PATCH", "/work_pools/open/queues/held", { paused: true })).status).toBe(200);
    const cases = [
      { pool: "limited", deployment: await deploy(app, { name: "pool-limit", work_pool_name: "limited" }), claimWith: {} },
      { pool: "open", deployment: await deploy(app, { name: "queue-limit", work_pool_name: "open", work_queue_name: "slow" }), claimWith: {} },
      { pool: "open", deployment: await deploy(app, { name: "paused-queue", work_pool_name: "open", work_queue_name: "held" }), claimWith: {} },
      { pool: "open", deployment: await deploy(app, { name: "deployment-limit", work_pool_name: "open", concurrency_limit: 2 }), claimWith: {} },
      { pool: "open", deployment: await deploy(app, { name: "other-queue", work_pool_name: "open", work_queue_name: "slow" }), claimWith: { queues: ["default"] } },
      { pool: "open", deployment: await deploy(app, { name: "later", work_pool_name: "open" }), claimWith: {}, run: { scheduled_time: secondsFromNow(3600) } },
    ];
    for (const c of cases) {
      const waiting = claim(app, c.pool, { worker_name: `w-${c.deployment.name}`, wait_seconds: 0.6, ...c.claimWith });
      await settle();
      const made = await runOf(app, c.deployment.id, c.run ?? {});
      expect(made.state.type, c.deployment.name).toBe("SCHEDULED");
      const answered = await waiting;
      // Woken, the claim looked as usual: limits left room for the limited ones; the rest stayed out.
      const expected = ["pool-limit", "queue-limit", "deployment-limit"].includes(c.deployment.name) ? [made.id] : [];
      expect(answered.map((r) => r.flow_run.id), c.deployment.name).toEqual(expected);
    }
  });

  it("is not handed over by a transaction that rolls back: the claim waits on and gets the next run", async () => {
    const app = await open();
    await newPool(app, "undo");
    const deployment = await deploy(app, { name: "undo", work_pool_name: "undo" });
    let answered = false;
    const waiting = claim(app, "undo", { worker_name: "patient", wait_seconds: 30 }).finally(() => (answered = true));
    await settle();
    const now = new Date();
    const attempt = travel(app.db, async (road) => {
      const row = await readDeploymentRow(road.trx, deployment.id);
      const run = await insertDeploymentRun(app.db, road.trx, row, { parameters: {}, job_variables: null, tags: [], scheduledTime: now, idempotencyKey: null, scheduleId: null }, now);
      expect((await handToWaitingClaim(road, run!, now))?.worker_name).toBe("patient");
      throw new Error("something later in the transaction failed");
    });
    await expect(attempt).rejects.toThrow("something later");
    await settle();
    expect(answered).toBe(false);
    const made = await runOf(app, deployment.id);
    expect((await waiting).map((c) => c.flow_run.id)).toEqual([made.id]);
    const runs = (await app.api("GET", "/flow_runs")).body.items;
    expect(runs.map((r: { id: string }) => r.id)).toEqual([made.id]);
  });

  it("is not handed to a claim that stopped waiting", async () => {
    const app = await open();
    await newPool(app, "gone");
    const deployment = await deploy(app, { name: "gone", work_pool_name: "gone" });
    expect(await claim(app, "gone", { wait_seconds: 0.2 })).toEqual([]);
    const made = await runOf(app, deployment.id);
    expect(made.state.type).toBe("SCHEDULED");
  });
});
