/*
 * crash_retries on a Kubernetes pool, through the real worker loop and @kubernetes/client-node
 * against the API test server (test/helpers/kube-api-server/; see worker-kubernetes.test.ts for
 * what that does and does not verify). The test plays the kubelet and the flow run's own states.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startKubeApiServer, type KubeApiServer } from "../helpers/kube-api-server/index.js";
import { startKubernetesWorker, watchedJobOf, type KubernetesWorker } from "./worker-kubernetes-setup.js";
import { startTestServer, waitForState, type TestServer } from "./worker-setup.js";

const POOL = "k8s-retry";

describe.each(DATABASE_KINDS)("crash_retries on a Kubernetes pool, on %s", (kind) => {
  let t: TestServer;
  let kube: KubeApiServer;
  let k8s: KubernetesWorker;
  let deploymentId = "";
  const events: Array<{ type: string; message?: string }> = [];

  beforeAll(async () => {
    t = await startTestServer(kind);
    kube = await startKubeApiServer();
    k8s = await startKubernetesWorker(t, kube, { pool: POOL, name: "retry-worker", onEvent: (e) => events.push(e), onInfraError: (e) => events.push({ type: "error", message: String(e) }) });
    const { deployment } = await t.client.call("upsertDeployment", {
      body: { flow_name: "etl", name: "retried", entrypoint: "flows/etl.ts:etl", pull_steps: [], work_pool_name: POOL, job_variables: { image: "registry.example.com/etl:1", crash_retries: 1 } },
    });
    deploymentId = deployment.id;
  }, 60_000);

  afterAll(async () => {
    await k8s?.stop();
    await kube?.close();
    await t?.close();
  }, 60_000);

  /** The run's next attempt (a Job with a new uid), as far as Running. */
  const running = async (runId: string, seen: Set<string>) => {
    const { jobName } = await watchedJobOf(kube, runId, seen);
    kube.podRunning(jobName);
    await t.client.setFlowRunState(runId, { type: "RUNNING" });
    return jobName;
  };

  test("the default template declares crash_retries (0: Crashed at once)", async () => {
    const pool = await t.client.call("readWorkPool", { params: { name: POOL } });
    expect(pool.base_job_template.variables.properties.crash_retries).toMatchObject({ type: "integer", default: 0 });
    expect(pool.base_job_template.job_configuration.crash_retries).toBe("{{ crash_retries }}");
  });

  test("an evicted pod sends the run back to Scheduled with why and which attempt; the next attempt runs it to Completed", async () => {
    const run = await t.client.call("runDeployment", { params: { id: deploymentId }, body: { parameters: {} } });
    const seen = new Set<string>();
    const first = await running(run.id, seen);
    kube.podEvicted(first, "The node was low on resource: memory.");

    // Back to Scheduled, then claimed again at once by the same worker: a second Job of the same name.
    const second = await running(run.id, seen);
    expect(second).toBe(first);
    const states = (await t.client.flowRunStates(run.id)).items;
    const rescheduled = states.find((s) => s.type === "SCHEDULED" && s.name === "Rescheduled");
    expect(rescheduled?.message).toMatch(new RegExp(`^Kubernetes Job default/${first}: the pod was evicted: The node was low on resource: memory\\.; back to Scheduled for attempt 2 of 2 \\(crash_retries: 1\\)$`));
    expect(events.some((e) => e.type === "rescheduled")).toBe(true);

    await t.client.setFlowRunState(run.id, { type: "COMPLETED" });
    kube.podSucceeded(second);
    const done = await waitForState(t.client, run.id, ["COMPLETED", "CRASHED"]);
    expect(done.state_type, done.state.message ?? "").toBe("COMPLETED");
    expect(done.run_count).toBe(2);
    expect(events.filter((e) => e.type === "crashed")).toEqual([]);
  }, 120_000);

  test("once crash_retries are used up, the next loss leaves the run Crashed, saying so", async () => {
    const run = await t.client.call("runDeployment", { params: { id: deploymentId }, body: { parameters: {} } });
    const seen = new Set<string>();
    kube.podOOMKilled(await running(run.id, seen));
    const second = await running(run.id, seen);
    kube.podEvicted(second, "The node was low on resource: ephemeral-storage.");
    const done = await waitForState(t.client, run.id, ["CRASHED", "COMPLETED"], 60_000);
    expect(done.state_type).toBe("CRASHED");
    expect(done.state.message).toMatch(/the pod was evicted: The node was low on resource: ephemeral-storage\.; no retry left \(crash_retries: 1, all used\)$/);
    const history = (await t.client.flowRunStates(run.id)).items;
    expect(history.find((s) => s.name === "Rescheduled")?.message).toMatch(/OOM-killed .*; back to Scheduled for attempt 2 of 2/);
    // The lost attempt's Job was cleared for the next one; the last one is kept for kubectl describe.
    expect(kube.job(second)).toBeDefined();
    expect(events.filter((e) => e.type === "error")).toEqual([]);
  }, 120_000);
});
