import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { runBaton } from "../helpers/cli.js";
import { WORKER_FIXTURE, runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer } from "./worker-setup.js";

/**
 * suspendFlowRun (issue 16 part 6), through a real process worker: the run is Suspended and its
 * process ends (the worker does not call it a crash); `baton flow-run resume ID --input JSON`
 * schedules it again, a worker runs the flow in a new process, the task that completed before
 * the suspension is not run again (its persisted result is reused), and suspendFlowRun returns
 * the input. One nobody resumes is failed by the server when its timeout passes.
 * (test/fixtures/worker/flows/suspend.ts)
 */
describe.each(DATABASE_KINDS)("suspend and resume in a new process (%s)", (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind);
  }, 60_000);
  afterAll(async () => t?.close());

  test("suspended, the process ends; resumed with input, a new process finishes it reusing the persisted task result; a timeout fails it", async () => {
    await t.client.call("createWorkPool", { body: { name: "suspensions", type: "process" } });
    const worker = startWorkerProcess(t, { pool: "suspensions", type: "process", pollWaitSeconds: 1 });
    const baton = (args: string[]) => runBaton(args, { env: { BATON_API_URL: t.apiUrl, BATON_API_KEY: t.apiKey, BATON_HOME: t.home.path } });
    try {
      await worker.waitForEvent("started");
      const { deployment } = await t.client.call("upsertDeployment", {
        body: { flow_name: "suspends-for-approval", name: "code", entrypoint: "flows/suspend.ts:suspendsForApproval", pull_steps: [], work_pool_name: "suspensions", job_variables: { working_dir: WORKER_FIXTURE } },
      });
      const run = await t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: { n: 21 } } });
      const suspended = await waitForState(t.client, run.id, ["PAUSED", "FAILED", "CRASHED", "COMPLETED"], 120_000);
      expect(suspended.state_type, `${suspended.state.message}\n${worker.output()}`).toBe("PAUSED");
      expect(suspended.state).toMatchObject({ name: "Suspended", state_details: { pause_reschedule: true, pause_key: "suspend-1", input_schema: { required: ["approved"] } } });
      // The process ended on purpose: the worker says so, and the run is still Suspended, not Crashed.
      await worker.waitForEvent("suspended", (e) => e.flowRunId === run.id);
      expect(worker.events.filter((e) => e.type === "exited" && e.flowRunId === run.id)).toHaveLength(1);
      expect((await t.client.readFlowRun(run.id)).state_name).toBe("Suspended");

      const wrong = await baton(["flow-run", "resume", run.id, "--input", '{"approved": "yes"}']);
      expect(wrong.code).not.toBe(0);
      expect(wrong.stderr).toContain("body.input.approved");
      const resumed = await baton(["flow-run", "resume", run.id, "--input", '{"approved": true}']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).toContain("Resuming");

      const done = await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"], 120_000);
      const logs = await runLogs(t.client, run.id);
      expect(done.state_type, `${done.state.message}\n${logs.join("\n")}\n${worker.output()}`).toBe("COMPLETED");
      expect(done.state.data?.result).toEqual({ doubled: 42, approved: true });
      // Two processes ran the flow; the task ran in the first only.
      const pids = logs.filter((l) => l.startsWith("process "));
      expect(new Set(pids).size).toBe(2);
      expect(logs.filter((l) => l === "expensive ran for 21")).toHaveLength(1);
      expect(logs).toContain("Resumed after suspension suspend-1");
      expect(worker.events.filter((e) => e.type === "launched" && e.flowRunId === run.id)).toHaveLength(2);

      const late = await t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: { n: 1, timeout: 2 } } });
      await waitForState(t.client, late.id, ["PAUSED"], 120_000);
      const failed = await waitForState(t.client, late.id, ["FAILED", "COMPLETED", "CRASHED"], 60_000);
      expect(failed.state_type).toBe("FAILED");
      expect(failed.state.message).toContain(`PauseTimeout: flow run ${late.name} was suspended (suspendFlowRun, key suspend-1) and not resumed by`);
    } finally {
      await worker.stop();
    }
  }, 300_000);
});
