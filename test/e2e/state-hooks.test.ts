import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { WORKER_FIXTURE, runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer, type WorkerProcess } from "./worker-setup.js";

// Hooks run in the flow's own process, whichever database the server has: one kind is enough.
describe("state hooks through a process worker", () => {
  let t: TestServer;
  let worker: WorkerProcess;
  let deploymentId: string;
  const scratch = tempDir("baton-hooks-");
  beforeAll(async () => {
    t = await startTestServer("sqlite");
    worker = startWorkerProcess(t, { pool: "hooks", type: "process", pollWaitSeconds: 2, heartbeatSeconds: 1, cancelCheckSeconds: 1, graceSeconds: 20 });
    await worker.waitForEvent("started");
    const { deployment } = await t.client.call("upsertDeployment", {
      body: { flow_name: "hooked", name: "hooked-local", entrypoint: "flows/hooks.ts:hooked", pull_steps: [], work_pool_name: "hooks", job_variables: { working_dir: WORKER_FIXTURE } },
    });
    deploymentId = deployment.id;
  });
  afterAll(async () => {
    // A waiting flow a failed test left behind would hold the worker's stop.
    for (const file of readdirSync(scratch.path).filter((f) => f.endsWith(".pid"))) {
      try {
        process.kill(Number(readFileSync(join(scratch.path, file), "utf8")), "SIGKILL");
      } catch {
        // already gone
      }
    }
    await worker?.stop();
    await t?.close();
    scratch.remove();
  });

  const start = async (mode: string) => {
    const ledger = join(scratch.path, `${mode}-${Date.now()}.ledger`);
    const run = await t.client.call("runDeployment", { params: { id: deploymentId }, body: { parameters: { ledger, mode } } });
    return { run, ledger, lines: () => (existsSync(ledger) ? readFileSync(ledger, "utf8").trim().split("\n") : []) };
  };

  test("onRunning, the task's and the flow's onCompletion run with the run and its state; a hook that throws is logged and the run stays Completed", async () => {
    const { run, lines } = await start("complete");
    const done = await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"]);
    expect(done.state_type).toBe("COMPLETED");
    await waitFor(() => lines().some((l) => l.startsWith("onCompletion")) || undefined, "the onCompletion hook");
    expect(lines().map((l) => l.split(" ").slice(0, 4).join(" "))).toEqual([
      `onRunning RUNNING Running ${run.id}`,
      `task-onCompletion COMPLETED Completed ${run.id}`,
      `onCompletion COMPLETED Completed ${run.id}`,
    ]);
    expect(lines()[1]).toContain(" step-0 ");
    const logs = await waitFor(async () => {
      const all = await runLogs(t.client, run.id);
      return all.some((l) => l.startsWith("onCompletion hook saw")) ? all : undefined; // not the task's "task-onCompletion hook saw", logged earlier
    }, "the hook's log lines");
    expect(logs.find((l) => l.startsWith("The onCompletion hook 'explode' failed"))).toMatch(/boom from a hook; the run stays Completed/);
    expect(logs).toContain("onRunning hook saw Running");
    expect((await t.client.readFlowRun(run.id)).state_type).toBe("COMPLETED");
  });

  test("onFailure runs after a failure; a hook past its timeout is abandoned and logged, the next one still runs, and the run stays Failed", async () => {
    const { run, lines } = await start("fail");
    const done = await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"]);
    expect(done.state_type).toBe("FAILED");
    await waitFor(() => lines().some((l) => l.startsWith("onFailure")) || undefined, "the onFailure hook");
    expect(lines().map((l) => l.split(" ")[0])).toEqual(["onRunning", "task-onFailure", "onFailure"]);
    const logs = await waitFor(async () => {
      const all = await runLogs(t.client, run.id);
      return all.some((l) => l.startsWith("onFailure hook saw")) ? all : undefined; // the flow's, which runs after the abandoned one
    }, "the onFailure hook's lines");
    expect(logs).toContain("The onFailure hook 'hang' did not finish within 1s (hookTimeoutSeconds) and was abandoned; the run stays Failed");
    expect((await t.client.readFlowRun(run.id)).state_type).toBe("FAILED");
  });

  test("onCancellation runs when the worker ends the process of a cancelled run", async () => {
    const { run, ledger, lines } = await start("wait");
    await waitFor(() => existsSync(`${ledger}.pid`) || undefined, "the flow to be waiting", 60_000);
    await t.client.call("cancelFlowRun", { params: { id: run.id } });
    const done = await waitForState(t.client, run.id, ["CANCELLED", "CRASHED", "COMPLETED"]);
    expect(done.state_type).toBe("CANCELLED");
    const pid = readFileSync(`${ledger}.pid`, "utf8");
    await waitFor(() => lines().some((l) => l.startsWith("onCancellation")) || undefined, `the onCancellation hook; ledger: ${lines().join(" | ")}`);
    // Run by the flow's own process, on its way down.
    expect(lines().find((l) => l.startsWith("onCancellation"))).toContain(`CANCELLED Cancelled ${run.id} pid=${pid}`);
    expect(lines().some((l) => l.startsWith("onCrashed"))).toBe(false);
  });

  test("onCrashed runs when the flow's process is killed (SIGTERM), after the run is recorded Crashed", async () => {
    const { run, ledger, lines } = await start("wait");
    await waitFor(() => existsSync(`${ledger}.pid`) || undefined, "the flow to be waiting", 60_000);
    const pid = Number(readFileSync(`${ledger}.pid`, "utf8"));
    process.kill(pid, "SIGTERM");
    const done = await waitForState(t.client, run.id, ["CRASHED", "CANCELLED", "COMPLETED"]);
    expect(done.state_type).toBe("CRASHED");
    await waitFor(() => lines().some((l) => l.startsWith("onCrashed")) || undefined, "the onCrashed hook");
    expect(lines().find((l) => l.startsWith("onCrashed"))).toContain(`CRASHED Crashed ${run.id} pid=${pid}`);
    expect((await t.client.readFlowRun(run.id)).state_type).toBe("CRASHED");
  });
});
