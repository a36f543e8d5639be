import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, secondsFromNow, type TestApp } from "../../test/harness.js";
import { claim, deploy, newPool, runOf } from "../../test/dispatch-helpers.js";

describe.each(DATABASE_KINDS)("claiming runs on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind);
  });
  afterAll(() => app.cleanup());

  const finish = async (runId: string) => {
    expect((await app.api("POST", `/flow_runs/${runId}/set_state`, { state: { type: "RUNNING" } })).body.status).toBe("ACCEPT");
    expect((await app.api("POST", `/flow_runs/${runId}/set_state`, { state: { type: "COMPLETED" } })).body.status).toBe("ACCEPT");
  };

  it("moves a due run to PENDING for one worker, with its deployment and rendered job configuration", async () => {
    await newPool(app, "basic");
    const deployment = await deploy(app, { name: "basic", work_pool_name: "basic", job_variables: { env: { A: "dep", S: "{{ baton.secrets.token }}" } } });
    const run = await runOf(app, deployment.id, { job_variables: { env: { B: "run" } }, parameters: { n: 1 } });
    expect(run).toMatchObject({ state_type: "SCHEDULED", deployment_id: deployment.id, deployment_name: "basic", work_pool_name: "basic", work_queue_name: "default" });
    const [claimed, ...rest] = await claim(app, "basic", { limit: 5 });
    expect(rest).toEqual([]);
    expect(claimed.flow_run).toMatchObject({ id: run.id, state_type: "PENDING", worker_name: "w1" });
    expect(claimed.deployment.id).toBe(deployment.id);
    // Secrets stay references: the worker's machine resolves them at run time.
    expect(claimed.job_configuration).toEqual({ command: "baton flow-run execute", env: { A: "dep", S: "{{ baton.secrets.token }}", B: "run" }, labels: {}, name: run.name, stream_output: true, pull_step_timeout_seconds: 900, reuse_process: false, reuse_limit: 10 });
    expect(await claim(app, "basic")).toEqual([]);
    const missing = await app.api("POST", "/work_pools/nope/claim", { worker_name: "w1" });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain("baton work-pool create nope");
    expect((await app.api("POST", "/work_pools/basic/claim", { worker_name: "w1", queues: ["fast"] })).status).toBe(404);
    expect((await app.api("POST", "/work_pools/basic/claim", { limit: 5 })).body.issues[0].path).toBe("body.worker_name");
  });

  it("a variable locked after a deployment set it takes the pool's value when the run is claimed", async () => {
    const pool = await newPool(app, "locking");
    const deployment = await deploy(app, { name: "locking", work_pool_name: "locking", job_variables: { working_dir: "/srv/anywhere" } });
    const template = structuredClone(pool.base_job_template);
    template.variables.properties.working_dir = { ...template.variables.properties.working_dir, default: "/srv/flows", "x-baton-locked": true };
    expect((await app.api("PATCH", "/work_pools/locking", { base_job_template: template })).status).toBe(200);
    const locked = await app.api("POST", "/deployments", { flow_name: "etl", name: "locking", entrypoint: "flows/etl.ts:etl", work_pool_name: "locking", job_variables: { working_dir: "/srv/anywhere" } });
    expect(locked.status).toBe(403);
    expect(locked.body).toMatchObject({ code: "JobVariableLocked", issues: [{ path: "body.job_variables.working_dir" }] });
    await runOf(app, deployment.id);
    const [claimed] = await claim(app, "locking");
    expect(claimed.job_configuration.working_dir).toBe("/srv/flows");
  });

  it("leaves runs scheduled in the future", async () => {
    await newPool(app, "future");
    const deployment = await deploy(app, { name: "future", work_pool_name: "future" });
    await runOf(app, deployment.id, { scheduled_time: secondsFromNow(3600) });
    expect(await claim(app, "future")).toEqual([]);
  });

  it("serves queues by priority, then by scheduled time", async () => {
    await newPool(app, "prio");
    await app.api("PATCH", "/work_pools/prio/queues/default", { priority: 3 });
    await app.api("POST", "/work_pools/prio/queues", { name: "urgent", priority: 1 });
    const slow = await deploy(app, { name: "prio-slow", work_pool_name: "prio" });
    const fast = await deploy(app, { name: "prio-fast", work_pool_name: "prio", work_queue_name: "urgent" });
    const old = await runOf(app, slow.id, { scheduled_time: secondsFromNow(-60) });
    const urgentLater = await runOf(app, fast.id, { scheduled_time: secondsFromNow(-1) });
    const urgentEarlier = await runOf(app, fast.id, { scheduled_time: secondsFromNow(-30) });
    const order = [];
    for (let i = 0; i < 3; i++) order.push(...(await claim(app, "prio")).map((c) => c.flow_run.id));
    expect(order).toEqual([urgentEarlier.id, urgentLater.id, old.id]);
  });

  it("honours pool, queue and deployment concurrency limits, counting claimed and running runs", async () => {
    await newPool(app, "limits", { concurrency_limit: 3 });
    await app.api("POST", "/work_pools/limits/queues", { name: "narrow", concurrency_limit: 1 });
    const one = await deploy(app, { name: "limit-one", work_pool_name: "limits", concurrency_limit: 1 });
    const narrow = await deploy(app, { name: "limit-narrow", work_pool_name: "limits", work_queue_name: "narrow" });
    const free = await deploy(app, { name: "limit-free", work_pool_name: "limits" });
    for (const d of [one, one, narrow, narrow, free, free, free]) await runOf(app, d.id);
    const first = await claim(app, "limits", { limit: 10 });
    // One of the deployment limited to 1, one of the queue limited to 1, then the pool's third slot.
    expect(first).toHaveLength(3);
    const byDeployment = (claimed: any[]) => claimed.map((c) => c.deployment.name).sort();
    expect(byDeployment(first)).toEqual(["limit-free", "limit-narrow", "limit-one"]);
    expect(await claim(app, "limits", { limit: 10 })).toEqual([]);
    await finish(first.find((c) => c.deployment.name === "limit-one").flow_run.id);
    const second = await claim(app, "limits", { limit: 10 });
    expect(byDeployment(second)).toEqual(["limit-one"]);
    await app.api("PATCH", "/work_pools/limits", { concurrency_limit: null });
    const third = await claim(app, "limits", { limit: 10 });
    // The deployment's and the queue's limits still hold: only the free deployment's runs come.
    expect(byDeployment(third)).toEqual(["limit-free", "limit-free"]);
  });

  it("skips paused pools, queues and deployments", async () => {
    await newPool(app, "paused");
    await app.api("POST", "/work_pools/paused/queues", { name: "side" });
    const main = await deploy(app, { name: "paused-main", work_pool_name: "paused" });
    const side = await deploy(app, { name: "paused-side", work_pool_name: "paused", work_queue_name: "side" });
    const mainRun = await runOf(app, main.id);
    const sideRun = await runOf(app, side.id);
    await app.api("PATCH", "/work_pools/paused", { paused: true });
    expect(await claim(app, "paused", { limit: 10 })).toEqual([]);
    await app.api("PATCH", "/work_pools/paused", { paused: false });
    await app.api("PATCH", "/work_pools/paused/queues/side", { paused: true });
    await app.api("POST", `/deployments/${main.id}/pause`);
    expect(await claim(app, "paused", { limit: 10 })).toEqual([]);
    await app.api("POST", `/deployments/${main.id}/resume`);
    expect((await claim(app, "paused", { limit: 10 })).map((c) => c.flow_run.id)).toEqual([mainRun.id]);
    await app.api("PATCH", "/work_pools/paused/queues/side", { paused: false });
    expect((await claim(app, "paused", { limit: 10, queues: ["side"] })).map((c) => c.flow_run.id)).toEqual([sideRun.id]);
  });
});
