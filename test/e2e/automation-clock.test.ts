import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { waitFor } from "../helpers/cli.js";
import { WORKER_FIXTURE, startTestServer, startWorkerProcess, type TestServer } from "./worker-setup.js";

/** The automations that watch the clock, fired by the server's own evaluator. */
describe.each(DATABASE_KINDS)("clock automations on %s", (kind) => {
  let t: TestServer;
  const pool = `dark-${kind}`;

  beforeAll(async () => {
    t = await startTestServer(kind, { notifications: { loopSeconds: 0.2, retryBaseSeconds: 0.2 } });
    await t.client.call("createWorkPool", { body: { name: pool, type: "process" } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const firings = async (automation: string) => (await t.client.call("listAutomationFirings", { query: { automation } })).items;

  test("a pool whose worker left is paused once per outage, and again after a worker came back and left", async () => {
    const onceOnline = async (name: string) => {
      const worker = startWorkerProcess(t, { pool, type: "process", name, pollWaitSeconds: 1, heartbeatSeconds: 1 });
      await worker.waitForEvent("started");
      await waitFor(async () => (await t.client.call("readWorkPool", { params: { name: pool } })).status === "READY" || undefined, "the pool to be ready");
      await worker.stop();
    };
    await onceOnline("first");
    await t.client.call("createAutomation", { body: { name: `dark-${kind}`, trigger: { type: "work_pool_offline", work_pools: [pool], seconds: 1 }, actions: [{ type: "pause_work_pool", work_pool: pool }] } });
    await waitFor(async () => (await firings(`dark-${kind}`)).find((f) => f.status === "done"), "the first outage's firing");
    expect((await t.client.call("readWorkPool", { params: { name: pool } })).paused).toBe(true);

    await t.client.call("updateWorkPool", { params: { name: pool }, body: { paused: false } });
    await onceOnline("second");
    await waitFor(async () => ((await firings(`dark-${kind}`)).filter((f) => f.status === "done").length === 2 ? true : undefined), "the second outage's firing");
    expect((await t.client.call("readWorkPool", { params: { name: pool } })).paused).toBe(true);
    // Dozens of passes ran while the pool was dark and a worker started: still one firing per outage.
    expect(await firings(`dark-${kind}`)).toHaveLength(2);
  }, 120_000);

  test("a deployment with no Completed run by a time of day runs its fallback once", async () => {
    const deployment = async (flow: string, name: string) =>
      (await t.client.call("upsertDeployment", { body: { flow_name: flow, name, entrypoint: `flows/notify.ts:${flow}`, pull_steps: [], work_pool_name: pool, job_variables: { working_dir: WORKER_FIXTURE } } })).deployment;
    await deployment("breaks", "nightly");
    const fallback = await deployment("finishes", "fallback");
    const time = new Date(Date.now() + 2000).toISOString().slice(11, 19);
    await t.client.call("createAutomation", { body: { name: `late-${kind}`, trigger: { type: "no_completed_run_by", deployment: "breaks/nightly", time, timezone: "UTC" }, actions: [{ type: "run_deployment", deployment: "finishes/fallback", parameters: { why: "{{ state.message }}" } }] } });
    const firing = await waitFor(async () => (await firings(`late-${kind}`)).find((f) => f.status === "done"), "the deadline's firing");
    expect(firing).toMatchObject({ event: "NO_COMPLETED_RUN", flow_run_id: null });
    const runs = (await t.client.call("listFlowRuns", { query: { deployment_id: fallback.id } })).items;
    expect(runs).toHaveLength(1);
    expect(runs[0]!.tags).toContain("automation");
    expect(String(runs[0]!.parameters.why)).toContain("no run of breaks/nightly Completed by");
  }, 60_000);
});
