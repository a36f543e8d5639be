import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ApiError } from "@baton/core";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { waitFor } from "../helpers/cli.js";
import { startHttpReceiver } from "../helpers/receivers.js";
import { WORKER_FIXTURE, startTestServer, startWorkerProcess, waitForState, type TestServer, type WorkerProcess } from "./worker-setup.js";

describe.each(DATABASE_KINDS)("automations through a process worker on %s", (kind) => {
  let t: TestServer;
  let worker: WorkerProcess;
  let receiver: Awaited<ReturnType<typeof startHttpReceiver>>;
  const pool = `auto-${kind}`;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    t = await startTestServer(kind, { notifications: { uiUrl: "http://ui.example", loopSeconds: 0.2, retryBaseSeconds: 0.2 } });
    await t.client.call("createWorkPool", { body: { name: pool, type: "process" } });
    worker = startWorkerProcess(t, { pool, type: "process", pollWaitSeconds: 2, heartbeatSeconds: 1, cancelCheckSeconds: 1, graceSeconds: 5 });
    await worker.waitForEvent("started");
    for (const [flow, name] of [["breaks", "nightly"], ["finishes", "cleanup"], ["lingers", "slow"]] as const) {
      const { deployment } = await t.client.call("upsertDeployment", { body: { flow_name: flow, name, entrypoint: `flows/notify.ts:${flow}`, pull_steps: [], work_pool_name: pool, job_variables: { working_dir: WORKER_FIXTURE } } });
      ids[name] = deployment.id;
    }
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await receiver?.close();
  });

  test("a bad automation is a 422 naming the field", async () => {
    const bad = async (body: unknown) => (await t.client.call("createAutomation", { body: body as never }).catch((e: unknown) => e)) as ApiError;
    expect((await bad({ name: "a", trigger: { type: "state", states: ["FAILED"] }, actions: [{ type: "run_deployment", deployment: "no-slash" }] })).message).toContain("body.actions.0.deployment");
    expect((await bad({ name: "a", trigger: { type: "sometimes" }, actions: [{ type: "cancel_run" }] })).message).toContain("body.trigger.type");
    expect((await bad({ name: "a", trigger: { type: "state", states: ["FAILED"] }, actions: [] })).message).toContain("body.actions");
  });

  test("a failed run fires once: it runs another deployment, pauses its own and notifies through a rule", async () => {
    await t.client.call("createNotificationRule", { body: { name: `via-${kind}`, states: ["FAILED"], enabled: false, target: { type: "webhook", url: `${receiver.url}/automation` } } });
    await t.client.call("createAutomation", {
      body: {
        name: `on-fail-${kind}`,
        trigger: { type: "state", states: ["FAILED"], match: { deployments: ["breaks/nightly"] } },
        actions: [{ type: "run_deployment", deployment: "finishes/cleanup" }, { type: "pause_deployment", deployment: "breaks/nightly" }, { type: "notify", rule: `via-${kind}` }],
      },
    });
    const run = await t.client.call("runDeployment", { params: { id: ids.nightly! }, body: {} });
    expect((await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"])).state_type).toBe("FAILED");
    const firing = await waitFor(async () => (await t.client.call("listAutomationFirings", { query: { flow_run_id: run.id } })).items.find((f) => f.status !== "pending"), "the firing");
    expect(firing).toMatchObject({ automation_name: `on-fail-${kind}`, event: "FAILED", status: "done", attempts: 1 });
    const cleanup = await waitFor(async () => (await t.client.call("listFlowRuns", { query: { deployment_id: ids.cleanup! } })).items[0], "the cleanup run");
    expect(cleanup.tags).toContain("automation");
    expect((await waitForState(t.client, cleanup.id, ["COMPLETED", "FAILED", "CRASHED"])).state_type).toBe("COMPLETED");
    expect((await t.client.call("readDeployment", { params: { id: ids.nightly! } })).paused).toBe(true);
    const message = await waitFor(() => receiver.received.find((r) => r.path === "/automation"), "the automation's message");
    expect(JSON.parse(message.body)).toMatchObject({ event: "FAILED", flow_run: { id: run.id } });
    // The cleanup run's completion matches no automation: still one firing in all.
    expect((await t.client.call("listAutomationFirings", { query: { automation: `on-fail-${kind}` } })).items).toHaveLength(1);
    await t.client.call("deleteAutomation", { params: { name: `on-fail-${kind}` } });
  }, 120_000);

  test("a run Running longer than its limit is cancelled by the automation; a paused automation does not fire", async () => {
    await t.client.call("createAutomation", { body: { name: `too-long-${kind}`, trigger: { type: "running_longer_than", seconds: 2, match: { flows: ["lingers"] } }, actions: [{ type: "cancel_run" }] } });
    const run = await t.client.call("runDeployment", { params: { id: ids.slow! }, body: {} });
    expect((await waitForState(t.client, run.id, ["CANCELLED", "COMPLETED", "FAILED", "CRASHED"], 90_000)).state_type).toBe("CANCELLED");
    const firings = (await t.client.call("listAutomationFirings", { query: { automation: `too-long-${kind}` } })).items;
    expect(firings).toMatchObject([{ event: "RUNNING_LONG", flow_run_id: run.id, status: "done" }]);

    expect((await t.client.call("pauseAutomation", { params: { name: `too-long-${kind}` } })).enabled).toBe(false);
    const second = await t.client.call("runDeployment", { params: { id: ids.slow! }, body: {} });
    await waitForState(t.client, second.id, ["RUNNING"]);
    await t.client.call("cancelFlowRun", { params: { id: second.id } });
    await waitForState(t.client, second.id, ["CANCELLED"]);
    expect((await t.client.call("listAutomationFirings", { query: { flow_run_id: second.id } })).items).toEqual([]);
  }, 120_000);
});
