import { afterAll, beforeAll, expect, test } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { describeNeeding } from "../helpers/components.js";
import { dockerUnavailableReason, startDockerEngine, type DockerEngine } from "../helpers/docker-engine.js";
import { startTestServer, startWorkerProcess, waitForState, type TestServer, type WorkerProcess } from "./worker-setup.js";

const IMAGE = "local/busybox:latest";
const POOL = "docker-restart";

/*
 * What a docker worker does when its container is lost rather than ended by the flow: followed
 * again after the worker restarts, and sent back to Scheduled by crash_retries when the engine
 * OOM-kills it. The containers run busybox only (no flow): the engine's part is under test.
 */
describeNeeding("A Docker engine", dockerUnavailableReason(), "a docker worker when its container outlives it or is lost", () => {
  let engine: DockerEngine;
  let t: TestServer;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    engine = await startDockerEngine();
    engine.importBusybox(IMAGE);
    // The engine's, not the flow's, part is under test: one database is enough.
    t = await startTestServer("sqlite");
  }, 120_000);
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await t?.close();
    await engine?.stop();
  }, 60_000);

  const containersOf = (flowRunId: string) => engine.docker(["ps", "-a", "--filter", `label=io.baton.flow-run-id=${flowRunId}`, "--format", "{{.Names}}"]).split("\n").filter(Boolean);
  const startWorker = () => {
    const w = startWorkerProcess(t, { pool: POOL, type: "docker", name: "docker-w", pollWaitSeconds: 2, heartbeatSeconds: 1, cancelCheckSeconds: 0.5, graceSeconds: 2 }, { DOCKER_HOST: engine.host });
    workers.push(w);
    return w;
  };

  test("finds the container again by its labels, follows it, and a cancel still stops it", async () => {
    const first = startWorker();
    await first.waitForEvent("started", undefined, 120_000);
    const { deployment } = await t.client.call("upsertDeployment", {
      body: { flow_name: "sleeper", name: "restart", entrypoint: "flows/none.ts:none", pull_steps: [], work_pool_name: POOL, job_variables: { image: IMAGE, command: "sh -c 'echo started; sleep 300'" } },
    });
    const { id } = await t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: {} } });
    await first.waitForEvent("launched", (e) => e.flowRunId === id, 120_000);
    await waitFor(() => containersOf(id).length === 1, "the run's container");
    const [container] = containersOf(id);

    // The worker dies (no chance to clean up); its container keeps running.
    first.child.kill("SIGKILL");
    await first.stop();
    const second = startWorker();
    await second.waitForEvent("reattached", (e) => e.flowRunId === id, 120_000);
    expect(second.events.some((e) => e.type === "launched" && e.flowRunId === id)).toBe(false);
    expect(containersOf(id)).toEqual([container]);

    await t.client.call("cancelFlowRun", { params: { id } });
    const done = await waitForState(t.client, id, ["CANCELLED", "CRASHED", "COMPLETED", "FAILED"], 60_000);
    expect(done.state_type, done.state.message ?? "").toBe("CANCELLED");
    await second.waitForEvent("cancelled", (e) => e.flowRunId === id);
    await waitFor(() => containersOf(id).length === 0, "the container to be removed");
  }, 300_000);

  test("an OOM-killed container with crash_retries 1 goes back to Scheduled once, then the run is Crashed saying the retries are used up", async () => {
    const worker = workers.find((w) => w.child.exitCode === null && w.child.signalCode === null) ?? startWorker();
    await worker.waitForEvent("started", undefined, 120_000);
    const { deployment } = await t.client.call("upsertDeployment", {
      body: {
        flow_name: "hog",
        name: "oom-retried",
        entrypoint: "flows/none.ts:none",
        pull_steps: [],
        work_pool_name: POOL,
        // One 100 MB line held by sort: past a 16m limit the engine kills it (exit 137, OOMKilled).
        job_variables: { image: IMAGE, memory: "16m", crash_retries: 1, command: "sh -c 'echo allocating; head -c 100000000 /dev/zero | sort > /dev/null'" },
      },
    });
    const { id } = await t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: {} } });
    const done = await waitForState(t.client, id, ["CRASHED", "COMPLETED", "FAILED"], 120_000);
    expect(done.state_type).toBe("CRASHED");
    expect(done.state.message).toMatch(/OOMKilled of its 16m memory limit.*; no retry left \(crash_retries: 1, all used\)$/s);
    const history = (await t.client.flowRunStates(id)).items;
    const rescheduled = history.filter((s) => s.name === "Rescheduled");
    expect(rescheduled).toHaveLength(1);
    expect(rescheduled[0]!.message).toMatch(/exited with code 137.*OOMKilled.*; back to Scheduled for attempt 2 of 2 \(crash_retries: 1\)$/s);
    expect(worker.events.filter((e) => e.type === "launched" && e.flowRunId === id)).toHaveLength(2);
    await waitFor(() => containersOf(id).length === 0, "both containers to be removed");
  }, 300_000);
});
