import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "@baton/core";
import { crashOrRetry } from "../../packages/worker/src/worker/crash-or-retry.js";
import { startTestServer, type TestServer } from "./worker-setup.js";

/**
 * A worker's supervisor that comes late (issue 11 D): its run was cancelled, retried and claimed
 * by another worker of the same key meanwhile. What it sends carries its claim id, so the server
 * refuses it and the new attempt runs on.
 */
describe("a worker's late Crashed for an attempt that is no longer its own", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer("sqlite");
    await t.client.call("createWorkPool", { body: { name: "stale", type: "process" } });
  }, 60_000);
  afterAll(async () => t?.close());

  it("is refused with 409 StaleClaim, and the run claimed again keeps running", async () => {
    const { deployment } = await t.client.call("upsertDeployment", { body: { flow_name: "etl", name: "stale", entrypoint: "flows/etl.ts:etl", work_pool_name: "stale" } });
    const run = await t.client.call("runDeployment", { params: { id: deployment.id }, body: {} });
    const claim = async (worker: string) => {
      const { flow_runs } = await t.client.call("claimFlowRuns", { params: { name: "stale" }, body: { worker_name: worker } });
      expect(flow_runs.map((c) => c.flow_run.id)).toEqual([run.id]);
      return flow_runs[0]!.claim_id!;
    };
    const first = await claim("worker-1");
    await t.client.setFlowRunState(run.id, { type: "RUNNING" }, false, first);
    await t.client.call("cancelFlowRun", { params: { id: run.id } });
    await t.client.setFlowRunState(run.id, { type: "CANCELLED" }, false, first);
    await t.client.call("retryFlowRun", { params: { id: run.id } });
    const second = await claim("worker-2");
    await t.client.setFlowRunState(run.id, { type: "RUNNING" }, false, second);

    const late = await crashOrRetry(t.client, run.id, { message: "worker-1's process exited", lost: false, crashRetries: 0, claimId: first }).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(ApiError);
    expect(late).toMatchObject({ status: 409, code: "StaleClaim" });
    expect((await t.client.readFlowRun(run.id)).state_type).toBe("RUNNING");
    // Its own worker's crash still lands.
    expect(await crashOrRetry(t.client, run.id, { message: "worker-2's process exited", lost: false, crashRetries: 0, claimId: second })).toBe("crashed");
    expect((await t.client.readFlowRun(run.id)).state_type).toBe("CRASHED");
  });
});
