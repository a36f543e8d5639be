import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, newFlowRun, openTestApp, secondsFromNow, type TestApp } from "../../test/harness.js";
import { claim, deploy, newPool, runOf } from "../../test/dispatch-helpers.js";
import { expireLeases } from "./leases.js";

describe.each(DATABASE_KINDS)("cancelling runs on %s", (kind) => {
  let app: TestApp;
  let deploymentId: string;
  beforeAll(async () => {
    app = await openTestApp(kind);
    await newPool(app, "cancel");
    deploymentId = (await deploy(app, { name: "cancel", work_pool_name: "cancel" })).id;
  });
  afterAll(() => app.cleanup());

  it("cancels a scheduled or claimed run at once; the worker that claimed it is then told to stop", async () => {
    const scheduled = await runOf(app, deploymentId, { scheduled_time: secondsFromNow(3600) });
    const answer = await app.api("POST", `/flow_runs/${scheduled.id}/cancel`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: "ACCEPT", state: { type: "CANCELLED", message: expect.stringContaining("before it started") } });
    const claimedRun = await runOf(app, deploymentId);
    await claim(app, "cancel");
    expect((await app.api("POST", `/flow_runs/${claimedRun.id}/cancel`)).body.state.type).toBe("CANCELLED");
    expect((await app.api("POST", `/flow_runs/${claimedRun.id}/set_state`, { state: { type: "RUNNING" } })).body.status).toBe("ABORT");
  });

  it("moves a running run to CANCELLING, which its process sees in its heartbeat answer", async () => {
    const run = await runOf(app, deploymentId);
    await claim(app, "cancel");
    await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "RUNNING" } });
    expect((await app.api("POST", `/flow_runs/${run.id}/cancel`)).body).toMatchObject({ status: "ACCEPT", state: { type: "CANCELLING" } });
    expect((await app.api("POST", `/flow_runs/${run.id}/heartbeat`)).body).toEqual({ state_type: "CANCELLING", state_name: "Cancelling" });
    const again = await app.api("POST", `/flow_runs/${run.id}/cancel`);
    expect(again.body).toMatchObject({ status: "REJECT", state: { type: "CANCELLING" } });
    expect((await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "CANCELLED" } })).body.status).toBe("ACCEPT");
    const ended = await app.api("POST", `/flow_runs/${run.id}/cancel`);
    expect(ended.status).toBe(409);
    expect(ended.body.message).toContain("already ended CANCELLED");
    expect((await app.api("POST", "/flow_runs/0190a5a2-0000-7000-8000-000000000000/cancel")).status).toBe(404);
  });
});

describe.each(DATABASE_KINDS)("why a run has not started on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind);
  });
  afterAll(() => app.cleanup());
  const why = async (id: string) => {
    const answer = await app.api("GET", `/flow_runs/${id}/why`);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const codes = (body: { reasons: { code: string }[] }) => body.reasons.map((r) => r.code).sort();

  it("names every reason that applies, each with what to do", async () => {
    await newPool(app, "stuck");
    await app.api("POST", "/work_pools/stuck/queues", { name: "slow" });
    const deployment = await deploy(app, { name: "stuck", work_pool_name: "stuck", work_queue_name: "slow" });
    const run = await runOf(app, deployment.id, { scheduled_time: secondsFromNow(600) });
    await app.api("PATCH", "/work_pools/stuck", { paused: true });
    await app.api("PATCH", "/work_pools/stuck/queues/slow", { paused: true });
    await app.api("POST", `/deployments/${deployment.id}/pause`);
    const body = await why(run.id);
    expect(body).toMatchObject({ flow_run_id: run.id, state_type: "SCHEDULED" });
    expect(codes(body)).toEqual(["DEPLOYMENT_PAUSED", "NO_WORKER_ONLINE", "SCHEDULED_IN_FUTURE", "WORK_POOL_PAUSED", "WORK_QUEUE_PAUSED"]);
    const message = (code: string) => body.reasons.find((r: { code: string }) => r.code === code).message;
    expect(message("NO_WORKER_ONLINE")).toContain("baton worker start --pool stuck");
    expect(message("WORK_POOL_PAUSED")).toContain("baton work-pool resume stuck");
    // The command to type, not the API call behind it (issue 22).
    expect(message("WORK_QUEUE_PAUSED")).toContain("resume it with baton work-queue resume slow --pool stuck");
    expect(message("DEPLOYMENT_PAUSED")).toContain("baton deployment resume etl/stuck");
    expect(message("SCHEDULED_IN_FUTURE")).toContain(run.state.state_details.scheduled_time);
  });

  it("names a full concurrency limit and the runs holding it", async () => {
    await newPool(app, "full", { concurrency_limit: 1 });
    await app.api("POST", "/work_pools/full/workers/heartbeat", { name: "w", heartbeat_interval_seconds: 60 });
    const deployment = await deploy(app, { name: "full", work_pool_name: "full", concurrency_limit: 1 });
    const holder = await runOf(app, deployment.id);
    await claim(app, "full");
    const waiting = await runOf(app, deployment.id);
    const body = await why(waiting.id);
    expect(codes(body)).toEqual(["DEPLOYMENT_CONCURRENCY_FULL", "POOL_CONCURRENCY_FULL"]);
    for (const reason of body.reasons) expect(reason.holders).toEqual([{ id: holder.id, name: holder.name }]);
  });

  it("explains a claimed run, a lost lease, a missing pool, no pool at all, and a run that started", async () => {
    await newPool(app, "leases");
    const deployment = await deploy(app, { name: "leases", work_pool_name: "leases" });
    const run = await runOf(app, deployment.id);
    await claim(app, "leases", { worker_name: "w-9" });
    expect(codes(await why(run.id))).toEqual(["CLAIMED_NOT_STARTED"]);
    await expireLeases(app.db, new Date(Date.now() + 120_000));
    const lost = await why(run.id);
    expect(codes(lost)).toContain("LEASE_LOST");
    expect(lost.reasons.find((r: { code: string }) => r.code === "LEASE_LOST").message).toContain('worker "w-9"');
    await app.api("DELETE", "/work_pools/leases");
    const gone = await why(run.id);
    expect(codes(gone)).toEqual(["LEASE_LOST", "WORK_POOL_NOT_FOUND"]);
    expect(gone.reasons[1].message).toContain("baton work-pool create leases");
    const plain = await newFlowRun(app);
    expect(codes(await why(plain.id))).toEqual(["NO_WORK_POOL"]);
    await app.api("POST", `/flow_runs/${plain.id}/set_state`, { state: { type: "RUNNING" } });
    expect(codes(await why(plain.id))).toEqual(["ALREADY_STARTED"]);
    const scheduledPlain = await newFlowRun(app, { state: { type: "SCHEDULED", state_details: { scheduled_time: secondsFromNow(-1) } } });
    expect(codes(await why(scheduledPlain.id))).toEqual(["NO_WORK_POOL"]);
    expect((await app.api("GET", "/flow_runs/0190a5a2-0000-7000-8000-000000000000/why")).status).toBe(404);
  });
});
