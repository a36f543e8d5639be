import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { tempDir } from "../helpers/tmp.js";
import { WORKER_FIXTURE, runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer } from "./worker-setup.js";

const isAlive = (pid: number) => {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
};

describe.each(DATABASE_KINDS)("a process worker on %s", (kind) => {
  let t: TestServer;
  const scratch = tempDir("baton-worker-scratch-");
  beforeAll(async () => {
    t = await startTestServer(kind, { heartbeatTimeoutSeconds: 4 });
  });
  afterAll(async () => {
    await t?.close();
    scratch.remove();
  });

  /** A deployment of a flow in test/fixtures/worker, code already in place (`pull: []`). */
  const deploy = async (pool: string, flowName: string, exportName: string, extra: Record<string, unknown> = {}) => {
    const { deployment } = await t.client.call("upsertDeployment", {
      body: {
        flow_name: flowName,
        name: `${flowName}-local`,
        entrypoint: `flows/behaviours.ts:${exportName}`,
        pull_steps: [],
        work_pool_name: pool,
        job_variables: { working_dir: WORKER_FIXTURE },
        ...extra,
      },
    });
    return deployment;
  };
  const run = (deploymentId: string, parameters: Record<string, unknown> = {}) => t.client.call("runDeployment", { params: { id: deploymentId }, body: { parameters } });

  test("creates its pool, runs a deployment's run to Completed with its logs, and says so", async () => {
    const worker = startWorkerProcess(t, { pool: "lifecycle", type: "process", pollWaitSeconds: 5, heartbeatSeconds: 1 });
    try {
      await worker.waitForEvent("started");
      expect(worker.events.find((e) => e.type === "pool-created")).toMatchObject({ pool: "lifecycle", poolType: "process" });
      const workers = await t.client.call("listWorkers", { params: { name: "lifecycle" } });
      expect(workers.items.map((w) => w.status)).toEqual(["ONLINE"]);
      const d = await deploy("lifecycle", "quick", "quick");
      const created = await run(d.id);
      const done = await waitForState(t.client, created.id, ["COMPLETED", "FAILED", "CRASHED"]);
      expect(done.state_type, done.state.message ?? "").toBe("COMPLETED");
      expect(done.worker_name).toBe(worker.events.find((e) => e.type === "started")!.workerName);
      // The last line is sent right after the final state: wait for it rather than race it.
      await waitFor(async () => (await runLogs(t.client, created.id)).some((l) => l.startsWith("Finished in state Completed")), "the run's last log line");
    } finally {
      await worker.stop();
    }
  });

  test("a process that exits non-zero without a final state leaves the run Crashed with its exit code and last lines", async () => {
    const worker = startWorkerProcess(t, { pool: "crashing", type: "process", pollWaitSeconds: 5 });
    try {
      await worker.waitForEvent("started");
      const d = await deploy("crashing", "dies", "dies");
      const created = await run(d.id);
      const done = await waitForState(t.client, created.id, ["COMPLETED", "FAILED", "CRASHED"]);
      expect(done.state_type).toBe("CRASHED");
      expect(done.state.message).toMatch(/exited with code 3/);
      expect(done.state.message).toContain("about to die");
    } finally {
      await worker.stop();
    }
  });

  test("a failure before the flow starts (entrypoint, parameters) ends the run Failed with what to fix", async () => {
    const worker = startWorkerProcess(t, { pool: "early", type: "process", pollWaitSeconds: 5 });
    try {
      await worker.waitForEvent("started");
      const missing = await deploy("early", "quick", "nothingHere");
      const noExport = await waitForState(t.client, (await run(missing.id)).id, ["COMPLETED", "FAILED", "CRASHED"]);
      expect(noExport.state_type).toBe("FAILED");
      expect(noExport.state.message).toMatch(/nothingHere/);
      const typed = await deploy("early", "typed", "typed");
      const bad = await waitForState(t.client, (await run(typed.id, { count: "many" })).id, ["COMPLETED", "FAILED", "CRASHED"]);
      expect(bad.state_type).toBe("FAILED");
      expect(bad.state.message).toMatch(/parameters\.count/);
      const good = await waitForState(t.client, (await run(typed.id, { count: 21 })).id, ["COMPLETED", "FAILED", "CRASHED"]);
      expect(good.state_type, good.state.message ?? "").toBe("COMPLETED");
    } finally {
      await worker.stop();
    }
  });

  test("cancelling a running run ends its whole process group and the run ends Cancelled", async () => {
    const worker = startWorkerProcess(t, { pool: "cancelling", type: "process", pollWaitSeconds: 5, cancelCheckSeconds: 0.5, graceSeconds: 2 });
    try {
      await worker.waitForEvent("started");
      const pidFile = join(scratch.path, `pids-${kind}`);
      const d = await deploy("cancelling", "waits", "waits");
      const created = await run(d.id, { pidFile });
      await waitForState(t.client, created.id, ["RUNNING"]);
      const pid = await waitFor(() => (existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").trim()) || undefined : undefined), "the flow's grandchild");
      expect(isAlive(pid)).toBe(true);
      const answer = await t.client.call("cancelFlowRun", { params: { id: created.id } });
      expect(answer.state.type).toBe("CANCELLING");
      const done = await waitForState(t.client, created.id, ["CANCELLED", "CRASHED", "FAILED", "COMPLETED"]);
      expect(done.state_type).toBe("CANCELLED");
      await waitFor(() => !isAlive(pid), "the grandchild to end");
      await worker.waitForEvent("cancelled", (e) => e.flowRunId === created.id);
    } finally {
      await worker.stop();
    }
  });

  test("a worker killed with SIGKILL while its run runs: the run ends Crashed, not Running forever", async () => {
    // Runs heartbeat every second, well inside the server's 4 s timeout: a run that outlived its worker would stay Running.
    const worker = startWorkerProcess(t, { pool: "killed", type: "process", pollWaitSeconds: 5 }, { BATON_FLOW_RUN_HEARTBEAT_SECONDS: "1" });
    await worker.waitForEvent("started");
    const pidFile = join(scratch.path, `killed-pids-${kind}`);
    const d = await deploy("killed", "waits", "waits");
    const created = await run(d.id, { pidFile });
    await waitForState(t.client, created.id, ["RUNNING"]);
    const pid = await waitFor(() => (existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").trim()) || undefined : undefined), "the flow's grandchild");
    worker.child.kill("SIGKILL");
    await worker.stop();
    const done = await waitForState(t.client, created.id, ["CRASHED", "COMPLETED", "FAILED", "CANCELLED"]);
    expect(done.state_type).toBe("CRASHED");
    // Its process group went with it: nothing of the run is left running unseen.
    await waitFor(() => !isAlive(pid), "the run's grandchild to end");
  });

  test("a first stop waits for the running run, a second ends it; the worker then exits", async () => {
    const worker = startWorkerProcess(t, { pool: "stopping", type: "process", pollWaitSeconds: 5, graceSeconds: 2 });
    await worker.waitForEvent("started");
    const pidFile = join(scratch.path, `stopping-pids-${kind}`);
    const d = await deploy("stopping", "waits", "waits");
    const created = await run(d.id, { pidFile });
    await waitForState(t.client, created.id, ["RUNNING"]);
    worker.child.kill("SIGTERM");
    await worker.waitForEvent("stopping", (e) => e.terminate === false && e.running === 1);
    // A later run is not taken by a stopping worker.
    const later = await run(d.id, { pidFile });
    expect(worker.child.exitCode).toBeNull();
    expect((await t.client.readFlowRun(created.id)).state_type).toBe("RUNNING");
    worker.child.kill("SIGTERM");
    await worker.waitForEvent("stopping", (e) => e.terminate === true);
    await worker.stop();
    expect(worker.child.exitCode).toBe(0);
    expect((await waitForState(t.client, created.id, ["CRASHED", "COMPLETED", "FAILED", "CANCELLED"])).state_type).toBe("CRASHED");
    expect((await t.client.readFlowRun(later.id)).state_type).toBe("SCHEDULED");
  });

  test("never more runs at once than its limit, and each run once", async () => {
    const ledger = join(scratch.path, `ledger-${kind}`);
    const worker = startWorkerProcess(t, { pool: "limited", type: "process", limit: 2, pollWaitSeconds: 5 });
    try {
      await worker.waitForEvent("started");
      const d = await deploy("limited", "quick", "quick");
      const runs = await Promise.all(Array.from({ length: 6 }, () => run(d.id, { ledger, sleepMs: 400 })));
      for (const r of runs) expect((await waitForState(t.client, r.id, ["COMPLETED", "FAILED", "CRASHED"])).state_type).toBe("COMPLETED");
      const events = readFileSync(ledger, "utf8").trim().split("\n").map((l) => l.split(" ")).sort((a, b) => Number(a[1]) - Number(b[1]) || (a[2] === "end" ? -1 : 1));
      let now = 0;
      let most = 0;
      for (const [, , what] of events) {
        now += what === "start" ? 1 : -1;
        most = Math.max(most, now);
      }
      expect(most).toBeLessThanOrEqual(2);
      expect(events.filter((e) => e[2] === "start").map((e) => e[0]).sort()).toEqual(runs.map((r) => r.id).sort());
    } finally {
      await worker.stop();
    }
  });
});
